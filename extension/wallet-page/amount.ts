import { Currency, currencyExponent, MAX_MINOR } from '@agentpay/protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Reads a decimal amount typed by the user ("12.34") as exact integer minor
 * units of `currency`, by string arithmetic: no float ever holds the amount.
 */
export function parseAmount(text: string, currency: string): Parsed<number> {
  const input = text.trim();
  if (!Currency.safeParse(currency).success) return { ok: false, error: `"${currency}" is not a currency code such as CNY or USD` };
  if (input === '') return { ok: false, error: 'enter an amount' };
  if (input.startsWith('-')) return { ok: false, error: 'amounts cannot be negative' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(input);
  if (!match || (match[1] === '' && !match[2])) {
    return { ok: false, error: `"${input}" is not an amount: use digits and at most one decimal point, e.g. 12.34` };
  }
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    return {
      ok: false,
      error: exponent === 0
        ? `${currency} has no minor unit: enter a whole number, not ${input}`
        : `${currency} has ${exponent} decimal places; ${input} has ${match[2]!.length}`,
    };
  }
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(MAX_MINOR)) return { ok: false, error: `${input} ${currency} is more than the largest amount accepted` };
  return { ok: true, value: Number(minor) };
}

/** Minor units back to the decimal text the form shows ("1234" CNY → "12.34"): the protocol's exact conversion. */
export { minorToDecimal as minorToText } from '@agentpay/protocol';
