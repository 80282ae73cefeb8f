import { currencyExponent, MAX_MINOR, type Money } from '@agentpay/protocol';

/**
 * Exact conversion of a decimal price ("12.34") to integer minor units,
 * refusing more decimals than the currency has, so no amount is rounded.
 */
export function decimalToMinor(value: string, currency: string): number {
  const code = currency.toUpperCase();
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a decimal amount`);
  const exponent = currencyExponent(code);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new Error(`${value} ${code} has more decimals than ${code} allows (${exponent})`);
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || 0);
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) throw new Error(`${value} ${code} is too large`);
  return minor;
}

const SYMBOLS: [RegExp, string][] = [
  [/US\$|\$/, 'USD'], [/€/, 'EUR'], [/£/, 'GBP'], [/[¥￥]|元|人民币|RMB/, 'CNY'], [/₩/, 'KRW'], [/₹/, 'INR'],
];

/**
 * Reads a price as a page shows it: "189.00 CNY", "CNY 189.00", "¥189.00",
 * "$1,299.50", "合计：￥35". Returns null when the text holds no price.
 */
export function parseMoneyText(text: string): Money | null {
  const compact = text.replace(/\s+/g, ' ');
  const number = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,4}))?/.exec(compact);
  if (!number) return null;
  const code = /\b([A-Z]{3})\b/.exec(compact)?.[1] ?? SYMBOLS.find(([pattern]) => pattern.test(compact))?.[1];
  if (!code) return null;
  const digits = number[1]!.replace(/,/g, '') + (number[2] ? `.${number[2]}` : '');
  try {
    return { minor: decimalToMinor(digits, code), currency: code };
  } catch {
    return null;
  }
}
