import * as z from 'zod';

/**
 * Text a person will read to decide a payment (merchant names, line items, agent names).
 * The wallet shows it as it is stored, so it is stored the way it reads:
 * - NFKC, so full-width, ligature and other compatibility forms read as their plain letters;
 * - invisible characters (zero-width spaces and joiners, soft hyphens, Hangul fillers,
 *   left-to-right and right-to-left marks) removed: they change nothing a reader sees but
 *   make two equal-looking names differ;
 * - every run of white space one space, none at the ends.
 * Bidirectional overrides, embeddings and isolates (which can make "gpj.exe" read as
 * "exe.jpg"), control characters, other format characters and lone surrogates are refused.
 */
export function normaliseDisplayText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(BLANK, ' ').replace(/\s+/gu, ' ').trim();
}

/** Why `text` cannot be shown as it stands (checked after normalising), or null. */
export function displayTextProblem(text: string): string | null {
  if (/\p{Cs}/u.test(text)) return 'contains a lone surrogate (not valid Unicode text)';
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `contains ${codePoint(bidi[0])}, a bidirectional control that can make text read differently from what it says`;
  const control = /[\p{Cc}\p{Cf}]/u.exec(text);
  if (control) return `contains ${codePoint(control[0])}, a control or invisible formatting character`;
  const unassigned = /[\p{Co}\p{Cn}]/u.exec(text);
  if (unassigned) return `contains ${codePoint(unassigned[0])}, a private-use or unassigned code point that no one can read`;
  return null;
}

/** A zod string of display text: normalised as above, then refused if still unfit, at most `max` characters. */
export function displayText(max: number, required = 'must not be empty') {
  return z
    .string()
    .overwrite(normaliseDisplayText)
    .check((ctx) => {
      const problem = displayTextProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .min(1, required)
    .max(max);
}

/**
 * Removed: every default-ignorable code point (zero-width spaces and joiners, soft hyphens, Hangul
 * fillers, variation selectors, tags, …), which Unicode says to render as nothing, so they are never
 * needed to read a name (ZWJ only glues emoji, which read the same apart); but the bidirectional
 * controls, which are refused instead.
 */
const INVISIBLE = /(?![\u202A-\u202E\u2066-\u2069])\p{Default_Ignorable_Code_Point}/gu;
/** Characters that show as a blank without being white space (the braille blank): one space. */
const BLANK = /[\u2800]/gu;
/** Refused: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
