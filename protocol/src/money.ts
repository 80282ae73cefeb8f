import * as z from 'zod';
import { MAX_MINOR } from './display.ts';

export { currencyExponent, decimalToMinor, formatMoney, MAX_MINOR, minorToDecimal } from './display.ts';

/** ISO 4217 alphabetic code, upper case. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency must be an upper-case ISO 4217 code such as "CNY"');
export type Currency = z.infer<typeof Currency>;

/** An integer count of minor units (cents, fen, yen): never a float. */
export const Minor = z
  .number()
  .int('amounts are integer minor units (e.g. 1999 for 19.99)')
  .nonnegative('amounts cannot be negative')
  .max(MAX_MINOR, 'amount is too large');

/** An amount of money: integer minor units of one currency. */
export const Money = z.object({ minor: Minor, currency: Currency }).strict();
export type Money = z.infer<typeof Money>;
