import * as z from 'zod';

/** ISO 4217 alphabetic code, upper case. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency must be an upper-case ISO 4217 code such as "CNY"');
export type Currency = z.infer<typeof Currency>;

/** Largest amount the contract accepts, in minor units; keeps sums far from 2^53. */
export const MAX_MINOR = 1_000_000_000_000;

/** An integer count of minor units (cents, fen, yen): never a float. */
export const Minor = z
  .number()
  .int('amounts are integer minor units (e.g. 1999 for 19.99)')
  .nonnegative('amounts cannot be negative')
  .max(MAX_MINOR, 'amount is too large');

/** An amount of money: integer minor units of one currency. */
export const Money = z.object({ minor: Minor, currency: Currency }).strict();
export type Money = z.infer<typeof Money>;

/** Minor-unit exponents that differ from the usual 2 (ISO 4217). */
const EXPONENTS: Record<string, number> = {
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, PYG: 0,
  BHD: 3, JOD: 3, KWD: 3, OMR: 3, TND: 3, IQD: 3, LYD: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** Human form for logs and read-backs, e.g. `35.00 CNY`. */
export function formatMoney(money: Money): string {
  const exponent = currencyExponent(money.currency);
  const major = exponent === 0 ? String(money.minor) : (money.minor / 10 ** exponent).toFixed(exponent);
  return `${major} ${money.currency}`;
}

/**
 * Integer minor units as the decimal string the W3C Payment Request API takes
 * (`amount.value`), built from digits rather than by dividing a float, so it
 * is exact: 1234 CNY → "12.34", 5 CNY → "0.05", 1200 JPY → "1200", 1234 KWD → "1.234".
 */
export function minorToDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0 || minor > MAX_MINOR) {
    throw new RangeError(`minor must be a non-negative integer up to ${MAX_MINOR}, got ${minor}`);
  }
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * The inverse, for reading a Payment Request back: refuses more decimals than
 * the currency has (12.345 CNY is not an amount) instead of rounding. For
 * amounts typed or shown to people, wallets use their own, more forgiving readers.
 */
export function decimalToMinor(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`"${value}" is not a non-negative decimal amount`);
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) throw new RangeError(`"${value}" has more than ${exponent} decimals, the most ${currency} has`);
  const minor = Number(match[1]! + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) throw new RangeError(`"${value}" is too large`);
  return minor;
}
