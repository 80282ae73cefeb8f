import { currencyExponent, MAX_MINOR, type Money } from '@agentpay/protocol';
import { isCurrencyCode, type MoneyContext, resolveSymbol, SYMBOLS } from './currency-symbols.ts';
import { groupsWithSpace, plainDecimal, separatorsOf } from './locale-number.ts';

export type { MoneyContext } from './currency-symbols.ts';

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

/** One price written in a text: the amount it is, or why it cannot be read. */
export interface PriceInText {
  index: number;
  text: string;
  money?: Money;
  unsure?: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SYMBOL = Object.keys(SYMBOLS).sort((a, b) => b.length - a.length).map(escape).join('|');
// Latin letters only around it: "kr" is not in "Kreditkarte", but "4,980円税込" is a price.
const CURRENCY = String.raw`(?<![A-Za-z\u00C0-\u024F])(?:${SYMBOL}|[A-Z]{3})(?![A-Za-z\u00C0-\u024F])`;
const patterns = new Map<boolean, RegExp[]>();

/** Prices with the currency before and after; "1 234" is one number only where the locale groups with spaces. */
function pricePatterns(spaceGroups: boolean): RegExp[] {
  let found = patterns.get(spaceGroups);
  if (!found) {
    const group = spaceGroups ? String.raw`[.,'’\s]` : String.raw`[.,'’\u00A0\u202F\u2009]`;
    const number = String.raw`(?<![\d.,])\d+(?:${group}\d{3})*(?:[.,](?:\d{1,3}|[-–]))?(?!\d)`;
    found = [
      new RegExp(String.raw`(?<currency>${CURRENCY})\s?(?<number>${number})`, 'gu'),
      new RegExp(String.raw`(?<number>${number})\s?(?<currency>${CURRENCY})`, 'gu'),
    ];
    patterns.set(spaceGroups, found);
  }
  return found;
}

/**
 * Every price written in a text, in order: a number next to a currency
 * symbol or code, before or after it ("42,50 €", "CHF 1'234.50", "¥4,980",
 * "R$ 1.234,56", "4,980円"), read with the page's locale and context.
 */
export function pricesInText(text: string, context: MoneyContext = {}): PriceInText[] {
  const separators = separatorsOf(context.lang);
  const found: PriceInText[] = [];
  for (const pattern of pricePatterns(groupsWithSpace(separators))) {
    for (const m of text.matchAll(pattern)) {
      const symbol = m.groups!.currency!;
      if (!SYMBOLS[symbol] && !isCurrencyCode(symbol)) continue; // "VAT 20", "SKU 12": not a currency
      const currency = resolveSymbol(symbol, context);
      const price: PriceInText = { index: m.index, text: m[0] };
      if (typeof currency !== 'string') price.unsure = currency.unsure;
      else {
        const plain = plainDecimal(m.groups!.number!, currencyExponent(currency), separators);
        try {
          if (plain === null) continue; // not a number as any locale writes one
          price.money = { minor: readDecimalPrice(plain, currency), currency };
        } catch {
          continue; // more decimals than the currency has: not a price in it
        }
      }
      found.push(price);
    }
  }
  // "42,50 € 1 Artikel": the € is the first price's, not the "1"'s; the leftmost reading of a symbol keeps it.
  const kept: PriceInText[] = [];
  for (const price of found.sort((a, b) => a.index - b.index)) {
    const previous = kept[kept.length - 1];
    if (!previous || previous.index + previous.text.length <= price.index) kept.push(price);
  }
  return kept;
}

/**
 * Reads the price a text shows, the last one when it holds several (a total
 * line's own amount comes after its items). Only a number written next to a
 * currency counts, so an order number or an item count is never the price.
 * Null when the text holds no price, or when its currency is a symbol the
 * context cannot decide (¥ with no lang or priceCurrency).
 */
export function parseMoneyText(text: string, context?: MoneyContext): Money | null {
  const prices = pricesInText(text, context);
  return prices[prices.length - 1]?.money ?? null;
}
