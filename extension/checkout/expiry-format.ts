/**
 * Writing an expiry the way its field asks: "MM/YY", "MM/YYYY", "MM / YY",
 * "MMYY", as the placeholder shows it (in any of the six languages' letters:
 * JJ for Jahr, AA for année/año, 年 for 年) or, without one, as maxlength allows.
 */

/** A placeholder's month, separator and year: "MM / YY" → " / " and 2. */
const SHAPE = /(?:MM|月)(\s*[^\w\s]?\s*)(YYYY|JJJJ|AAAA|YY|JJ|AA|年)/i;

const BY_LENGTH: Record<number, { separator: string; yearDigits: 2 | 4 }> = {
  4: { separator: '', yearDigits: 2 },
  5: { separator: '/', yearDigits: 2 },
  6: { separator: '', yearDigits: 4 },
  7: { separator: '/', yearDigits: 4 },
  9: { separator: ' / ', yearDigits: 4 },
};

/** The text for a single expiry field: month and year in the field's own shape. */
export function formatExpiry(field: HTMLInputElement, month: number, year: number): string {
  const mm = String(month).padStart(2, '0');
  const shape = SHAPE.exec(field.getAttribute('placeholder') ?? '');
  if (shape) {
    // "月/年" has no letters to count; the Chinese and Japanese pages that write it take the full year.
    const yearDigits = shape[2] === '年' || shape[2]!.length === 4 ? 4 : 2;
    return `${mm}${shape[1]}${yearText(year, yearDigits)}`;
  }
  const byLength = BY_LENGTH[Number(field.getAttribute('maxlength'))] ?? { separator: '/', yearDigits: 2 };
  return `${mm}${byLength.separator}${yearText(year, byLength.yearDigits)}`;
}

/** How many digits a year-only input takes: 2 when it says YY or allows only two, else 4. */
export function yearDigitsOf(field: HTMLInputElement): 2 | 4 {
  const placeholder = (field.getAttribute('placeholder') ?? '').trim();
  if (/^(YY|JJ|AA)$/i.test(placeholder) || field.getAttribute('maxlength') === '2') return 2;
  return 4;
}

export function yearText(year: number, digits: 2 | 4): string {
  return digits === 4 ? String(year) : String(year % 100).padStart(2, '0');
}
