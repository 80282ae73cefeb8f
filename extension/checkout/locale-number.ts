/**
 * Reading a number as a locale writes it: "1.234,56" in German, "1 234,56"
 * in French (with a narrow no-break space), "1'234.50" in Swiss German,
 * "4,980" in Japanese. The locale's separators come from Intl.NumberFormat.
 */

export interface Separators {
  group: string;
  decimal: string;
}

const cache = new Map<string, Separators | null>();

/** The group and decimal separators of a language, or null when there is no (valid) language to ask. */
export function separatorsOf(lang: string | undefined): Separators | null {
  if (!lang) return null;
  if (!cache.has(lang)) {
    let separators: Separators | null = null;
    try {
      const parts = new Intl.NumberFormat(lang).formatToParts(1234567.5);
      separators = { group: parts.find((p) => p.type === 'group')?.value ?? ',', decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.' };
    } catch {
      // not a language tag
    }
    cache.set(lang, separators);
  }
  return cache.get(lang)!;
}

/** Whether a locale groups digits with some kind of space, so "1 234" is one number there. */
export function groupsWithSpace(separators: Separators | null): boolean {
  return separators !== null && /\s/.test(separators.group);
}

/** Separators as one kind each: every space is a space, ’ is '. */
const kind = (c: string) => (/\s/.test(c) ? ' ' : c === '’' ? "'" : c);

/**
 * The plain decimal ("1234.56") a written number stands for in a currency
 * with `exponent` decimals, or null when it cannot be told. A separator
 * followed by one or two digits is the decimal point, as is the last of two
 * kinds ("1.234,56"); a lone one followed by three digits is what the locale
 * makes it ("1.234" is 1234 in German and 1.234 in English).
 */
export function plainDecimal(written: string, exponent: number, separators: Separators | null): string | null {
  const text = written.replace(/[.,][-–]$/, ''); // "42,-" is 42 whole euros
  const seps = [...text.matchAll(/\D/g)].map((m) => ({ at: m.index, kind: kind(m[0]) }));
  if (seps.length === 0) return text;
  const last = seps[seps.length - 1]!;
  const trailing = text.length - last.at - 1;
  const kinds = new Set(seps.map((s) => s.kind));
  let decimalAt: number | null;
  if (last.kind === ' ' || last.kind === "'") decimalAt = null;
  else if (trailing !== 3 || kinds.size > 1) decimalAt = last.at;
  else if (seps.length > 1) decimalAt = null;
  // One "." or "," before three digits: the locale's decimal point or group separator, whichever it is;
  // where the locale uses neither (or is unknown), a group, unless the currency has three decimals.
  else if (separators && kind(separators.decimal) === last.kind) decimalAt = last.at;
  else if (separators && kind(separators.group) === last.kind) decimalAt = null;
  else if (exponent < 3) decimalAt = null;
  else return null;
  const whole = decimalAt === null ? text : text.slice(0, decimalAt);
  const groups = whole.split(/\D/);
  const groupKinds = new Set([...whole.matchAll(/\D/g)].map((m) => kind(m[0])));
  if (groupKinds.size > 1 || groups.some((g, i) => (i === 0 ? g.length < 1 || (g.length > 3 && groups.length > 1) : g.length !== 3))) return null;
  return decimalAt === null ? groups.join('') : `${groups.join('')}.${text.slice(decimalAt + 1)}`;
}
