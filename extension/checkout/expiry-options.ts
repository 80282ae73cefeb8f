/**
 * Reading the options of expiry `<select>`s: which month or year each option
 * stands for, whether it is written "1", "01", "01 - January", "Jan",
 * "Januar", "janv." or "1月", and "2031" or "31". Month names come from
 * Intl.DateTimeFormat, so any language the browser knows is read.
 */

const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'zh', 'it', 'nl', 'pt'];
const namesByLang = new Map<string, Map<string, number>>();

function normalize(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f.]/g, '').trim().toLowerCase();
}

/** Long and short month names of a language, normalized, to their month number. */
function monthNames(lang: string): Map<string, number> {
  let names = namesByLang.get(lang);
  if (names) return names;
  names = new Map();
  try {
    for (const month of ['long', 'short'] as const) {
      const format = new Intl.DateTimeFormat(lang, { month, timeZone: 'UTC' });
      for (let m = 1; m <= 12; m++) names.set(normalize(format.format(Date.UTC(2001, m - 1, 15))), m);
    }
  } catch {
    // a lang attribute that is not a language tag: no names from it
  }
  namesByLang.set(lang, names);
  return names;
}

function monthFromText(text: string, lang: string | undefined): number | null {
  const digits = /^\s*(\d{1,2})(?!\d)/.exec(text);
  if (digits) {
    const n = Number(digits[1]);
    return n >= 1 && n <= 12 ? n : null;
  }
  const word = normalize(text).split(/[\s(),/-]+/)[0] ?? '';
  if (!word) return null;
  for (const locale of lang ? [lang, ...LOCALES] : LOCALES) {
    const month = monthNames(locale).get(word);
    if (month) return month;
  }
  return null;
}

/** The month (1–12) an option stands for: its text as a person reads it first, else its value. */
export function optionMonth(option: HTMLOptionElement, lang?: string): number | null {
  return monthFromText(option.text, lang) ?? monthFromText(option.value, lang);
}

function yearFromText(text: string): number | null {
  const digits = /^\s*(\d{4}|\d{2})\s*$/.exec(text);
  if (!digits) return null;
  return digits[1]!.length === 2 ? 2000 + Number(digits[1]) : Number(digits[1]);
}

/** The full year an option stands for ("2031" and "31" are 2031). */
export function optionYear(option: HTMLOptionElement): number | null {
  return yearFromText(option.text) ?? yearFromText(option.value);
}

/** Options that stand for something: not the "MM" or "Year" placeholder at the top. */
function choices(select: HTMLSelectElement): HTMLOptionElement[] {
  return [...select.options].filter((o) => o.value.trim() !== '' && !o.disabled);
}

/**
 * What a select offers: all twelve months, years of which some are still to
 * come (a card expiry, not a birth year), or neither.
 */
export function selectKind(select: HTMLSelectElement, lang?: string): 'month' | 'year' | null {
  const options = choices(select);
  if (options.length === 0) return null;
  // One leftover option at most: a placeholder such as "MM" or "Jahr" with a value of its own.
  const months = options.map((o) => optionMonth(o, lang)).filter((m) => m !== null);
  if (new Set(months).size === 12 && options.length - months.length <= 1) return 'month';
  const years = options.map(optionYear).filter((y) => y !== null);
  if (years.length >= 2 && options.length - years.length <= 1 && Math.max(...years) >= new Date().getFullYear()) return 'year';
  return null;
}

/** The first option for which `matches` holds, or undefined. */
export function findOption(select: HTMLSelectElement, matches: (option: HTMLOptionElement) => boolean): HTMLOptionElement | undefined {
  return choices(select).find(matches);
}
