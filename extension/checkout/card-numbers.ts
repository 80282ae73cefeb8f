import { once } from '../shared/once.ts';

/** Taken at load: the patterns are built on first use, by when a page could have replaced `RegExp`. */
const NativeRegExp = RegExp;
/**
 * What counts as a card number in what a page sends. A Luhn-valid run of 13–19
 * digits that starts as issuers' numbers do (2–6: Mastercard, Amex, Diners,
 * JCB, Visa, Discover, UnionPay, Maestro), written whole or split over several
 * fields sent side by side. Between groups: a space, a dash, the no-break and
 * thin spaces input masks use, or a `+` (a space once a form is serialised into
 * a string, as tag managers do); digits may be full-width (a Japanese IME's).
 * The leading digit keeps millisecond timestamps (1…) and most ids out.
 */
const DIGIT = '[0-9\\uff10-\\uff19]';
const whole = once(() => new NativeRegExp(`(?<!${DIGIT})${DIGIT}(?:[ +\\u00a0\\u2009\\u202f-]?${DIGIT}){12,18}(?!${DIGIT})`, 'g'));
const anyDigit = once(() => new NativeRegExp(DIGIT, 'g'));

/** The ASCII digits of `text` (full-width ones too), nothing else. */
const digitsOf = (text: string): string =>
  (text.match(anyDigit()) ?? []).map((d) => (d >= '\uff10' ? String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48) : d)).join('');

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Digits only, 13–19 of them, an issuer's first digit and a valid check digit. */
export function isCardNumber(digits: string): boolean {
  return /^[2-6]\d{12,18}$/.test(digits) && luhnValid(digits);
}

/** Each card number written in `text`, as found (separators kept) and as digits. */
export function cardNumbersIn(text: string): { text: string; digits: string }[] {
  const found: { text: string; digits: string }[] = [];
  for (const match of text.matchAll(whole())) {
    const digits = digitsOf(match[0]);
    if (isCardNumber(digits)) found.push({ text: match[0], digits });
  }
  return found;
}

/** Replaces every card number in `text` by `number`, keeping the writer's grouping where the lengths allow. */
export function replaceCardNumbers(text: string, number: string): string {
  return text.replace(whole(), (written) => (isCardNumber(digitsOf(written)) ? sameLayout(written, number) : written));
}

/** `number` written with the separators of `written` ("4242 4242 …"), or bare when the lengths differ. */
function sameLayout(written: string, number: string): string {
  if (digitsOf(written).length !== number.length) return number;
  let next = 0;
  return written.replace(anyDigit(), () => number[next++]!);
}

/**
 * Runs of neighbouring values that are each 2–6 digits and together a card
 * number ("4242", "4242", "4242", "4242"): a number typed into four boxes and
 * sent as four fields. Answers the index of each run's first value and its length.
 */
export function splitCardRuns(values: readonly string[]): { start: number; length: number; digits: string }[] {
  const runs: { start: number; length: number; digits: string }[] = [];
  for (let start = 0; start < values.length; start++) {
    let digits = '';
    for (let end = start; end < values.length && /^\d{2,6}$/.test(values[end]!.trim()); end++) {
      digits += values[end]!.trim();
      if (end > start && isCardNumber(digits)) {
        runs.push({ start, length: end - start + 1, digits });
        start = end;
        break;
      }
      if (digits.length >= 19) break;
    }
  }
  return runs;
}

/** Splits `number` over parts as long as the agent's were, the last taking what remains. */
export function splitLike(parts: readonly string[], number: string): string[] {
  let offset = 0;
  return parts.map((part, i) => {
    const length = i === parts.length - 1 ? number.length - offset : part.trim().length;
    const piece = number.slice(offset, offset + length);
    offset += length;
    return piece;
  });
}
