/** Chinese digits, including 两 (the "two" said before units and measure words) and 〇. */
export const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const SECTION_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/**
 * A whole number written in Chinese numerals, Arabic digits or both ("三十五",
 * "一百零五", "两千", "3万"), or undefined when it is not one. Spoken
 * shorthand is read as people mean it: a digit right after a unit stands for
 * the next unit down ("一百五" = 150, "三万五" = 35000), unless 零 came between
 * ("一百零五" = 105). Several digits without units are no number: "三五块" means
 * three to five yuan.
 */
export function parseChineseInteger(text: string): number | undefined {
  if (!/^[\d零〇一二两三四五六七八九十百千万亿]+$/u.test(text)) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  if (text.length === 1 && text in CHINESE_DIGITS) return CHINESE_DIGITS[text];
  let total = 0; // completed sections (of 亿 and 万)
  let section = 0; // the part below the current 万
  let digit: number | undefined; // a digit waiting for its unit
  let lastUnit = Infinity; // units within a section must fall: 千 then 百 then 十
  let lastSectionUnit = Infinity;
  let zeroSince = false; // 零 after the last unit: the next digit is a plain one
  for (const match of text.matchAll(/\d+|./gu)) {
    const token = match[0];
    const smallUnit = SMALL_UNITS[token];
    const sectionUnit = SECTION_UNITS[token];
    if (/^\d+$/.test(token) || token in CHINESE_DIGITS) {
      if (digit !== undefined) return undefined; // "三五", "五零": digits side by side are no amount
      const value = /^\d+$/.test(token) ? Number(token) : CHINESE_DIGITS[token]!;
      if (value === 0) zeroSince = true;
      else digit = value;
    } else if (smallUnit !== undefined) {
      if (smallUnit >= lastUnit) return undefined;
      // 十 alone means ten ("十五" = 15); 百 and 千 need their digit.
      if (digit === undefined && smallUnit !== 10) return undefined;
      section += (digit ?? 1) * smallUnit;
      digit = undefined;
      lastUnit = smallUnit;
      zeroSince = false;
    } else if (sectionUnit !== undefined) {
      if (sectionUnit >= lastSectionUnit) return undefined;
      section += digit ?? 0;
      if (section === 0) return undefined;
      total += section * sectionUnit;
      section = 0;
      digit = undefined;
      lastUnit = sectionUnit;
      lastSectionUnit = sectionUnit;
      zeroSince = false;
    }
  }
  if (digit !== undefined) section += !zeroSince && lastUnit > 10 && lastUnit !== Infinity ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

const ENGLISH_ONES: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const ENGLISH_TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const ENGLISH_SCALES: Readonly<Record<string, number>> = { thousand: 1000, million: 1_000_000 };

/** Whether a lower-case word can begin or continue a number in words. */
export function isEnglishNumberWord(word: string): boolean {
  return word in ENGLISH_ONES || word in ENGLISH_TENS || word === 'hundred' || word in ENGLISH_SCALES;
}

/**
 * A number said in English words, read from `words[start]` on ("thirty five",
 * "one hundred and five", "a thousand", "twelve point five"): its whole part,
 * its decimal digits as said, and the index of the first word after it.
 * Undefined when no number starts there.
 */
export function parseEnglishNumber(words: readonly string[], start: number): { whole: number; decimals: string; next: number } | undefined {
  let total = 0;
  let current = 0;
  let i = start;
  let seen = false;
  let lastSmall: 'ones' | 'tens' | undefined; // "twenty five" continues; "five six" does not
  for (; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (word === 'a' && !seen && (next === 'hundred' || (next !== undefined && next in ENGLISH_SCALES))) {
      current = 1;
      seen = true;
    } else if (word in ENGLISH_ONES) {
      if (lastSmall === 'ones' || (lastSmall === 'tens' && ENGLISH_ONES[word]! >= 10)) break;
      current += ENGLISH_ONES[word]!;
      lastSmall = 'ones';
      seen = true;
    } else if (word in ENGLISH_TENS) {
      if (lastSmall !== undefined) break;
      current += ENGLISH_TENS[word]!;
      lastSmall = 'tens';
      seen = true;
    } else if (word === 'hundred' && seen && current % 100 > 0) {
      current = (current - (current % 100)) + (current % 100) * 100;
      lastSmall = undefined;
    } else if (word in ENGLISH_SCALES && seen) {
      total += (current || 1) * ENGLISH_SCALES[word]!;
      current = 0;
      lastSmall = undefined;
    } else if (word === 'and' && seen && next !== undefined && (next in ENGLISH_ONES || next in ENGLISH_TENS)) {
      continue; // "one hundred and five"
    } else break;
  }
  if (!seen) return undefined;
  let decimals = '';
  if (words[i] === 'point') {
    let j = i + 1;
    while (j < words.length && (ENGLISH_ONES[words[j]!] ?? 10) < 10) decimals += String(ENGLISH_ONES[words[j++]!]);
    if (decimals) i = j;
  }
  return { whole: total + current, decimals, next: i };
}
