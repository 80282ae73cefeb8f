import { currencyExponent, MAX_MINOR } from '@agentpay/protocol';

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
 * the currency has (12.345 CNY is not an amount) instead of rounding.
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
