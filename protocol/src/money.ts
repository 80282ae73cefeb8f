import { z } from 'zod';

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
