import { currencyExponent, MAX_MINOR, type Money } from '@agentpay/protocol';

/**
 * A decimal price as a page or a person writes it ("12.34", " 12.340 ") in
 * exact integer minor units, refusing more significant decimals than the
 * currency has, so no amount is rounded. Stricter wire values use the
 * protocol's decimalToMinor.
 */
export function readDecimalPrice(value: string, currency: string): number {
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

/** ISO 4217 codes a shop page is likely to show; three capitals that are not one (VAT, SKU) are not a currency. */
const CODES = new Set(['CNY', 'USD', 'EUR', 'GBP', 'JPY', 'HKD', 'TWD', 'KRW', 'SGD', 'AUD', 'CAD', 'CHF', 'INR', 'NZD', 'SEK', 'NOK', 'DKK', 'MYR', 'THB', 'VND', 'IDR', 'PHP', 'AED', 'SAR', 'BRL', 'MXN', 'ZAR', 'RUB', 'PLN', 'TRY', 'KWD', 'BHD']);
const SYMBOLS: Record<string, string> = { 'US$': 'USD', 'HK$': 'HKD', 'NT$': 'TWD', 'S$': 'SGD', 'A$': 'AUD', 'C$': 'CAD', $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'CNY', '￥': 'CNY', '₩': 'KRW', '₹': 'INR', 元: 'CNY', 円: 'JPY' };
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,4}))?`;
const BEFORE = new RegExp(String.raw`(?:\b([A-Z]{3})|(US\$|HK\$|NT\$|S\$|A\$|C\$|\$|€|£|¥|￥|₩|₹))\s?` + NUMBER, 'g');
const AFTER = new RegExp(NUMBER + String.raw`\s?(?:([A-Z]{3})\b|(元|円))`, 'g');

/**
 * Reads a price as a page shows it: "189.00 CNY", "CNY 189.00", "¥189.00",
 * "$1,299.50", "合计：￥35", "35元". Only a number written next to a currency
 * counts, so an order number or an item count beside it is never read as
 * the price; when the text holds several prices, the last one (the total
 * line's own) wins. Returns null when the text holds no price.
 */
export function parseMoneyText(text: string): Money | null {
  const found: { index: number; digits: string; currency: string }[] = [];
  for (const m of text.matchAll(BEFORE)) {
    const currency = m[1] ? (CODES.has(m[1]) ? m[1] : undefined) : SYMBOLS[m[2]!];
    if (currency) found.push({ index: m.index, digits: m[3]! + (m[4] ? `.${m[4]}` : ''), currency });
  }
  for (const m of text.matchAll(AFTER)) {
    const currency = m[3] ? (CODES.has(m[3]) ? m[3] : undefined) : SYMBOLS[m[4]!];
    if (currency) found.push({ index: m.index, digits: m[1]! + (m[2] ? `.${m[2]}` : ''), currency });
  }
  found.sort((a, b) => a.index - b.index);
  for (const candidate of found.reverse()) {
    try {
      return { minor: readDecimalPrice(candidate.digits.replace(/,/g, ''), candidate.currency), currency: candidate.currency };
    } catch {
      // more decimals than the currency has: not a price in it
    }
  }
  return null;
}
