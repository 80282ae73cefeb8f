/**
 * Which currency a symbol on a page means. Several currencies share one ($,
 * ¥, kr); the page's context decides among them, strongest hint first, then
 * the region of its language (Intl.Locale fills in the likely region: "ja" is
 * Japan, "sv" Sweden, "en" the United States). When nothing decides, no
 * currency: a guess at ¥ would be off twentyfold (JPY or CNY) and at the minor
 * unit a hundredfold (JPY has none).
 */

/** What the page around a price says about its currency. */
export interface MoneyContext {
  /** The page's language tag, e.g. the `lang` of its `<html>`: "ja", "de-CH", "en-CA". */
  lang?: string;
  /** ISO 4217 codes the page or merchant names, strongest first: JSON-LD priceCurrency, meta tags, the merchant's registered currency. */
  currencies?: readonly string[];
}

/** Symbols and the currencies each can mean; the longer ones are matched first ("R$" before "$"). */
export const SYMBOLS: Record<string, string[]> = {
  'US$': ['USD'], 'CA$': ['CAD'], 'C$': ['CAD'], 'A$': ['AUD'], 'AU$': ['AUD'], 'NZ$': ['NZD'], 'HK$': ['HKD'],
  'NT$': ['TWD'], 'S$': ['SGD'], 'MX$': ['MXN'], 'R$': ['BRL'],
  $: ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'TWD', 'ARS', 'CLP', 'COP'],
  '€': ['EUR'], '£': ['GBP'], '¥': ['JPY', 'CNY'], '￥': ['JPY', 'CNY'], 円: ['JPY'], 元: ['CNY'], '₩': ['KRW'], '₹': ['INR'],
  zł: ['PLN'], '₽': ['RUB'], '₺': ['TRY'], kr: ['SEK', 'NOK', 'DKK', 'ISK'], 'kr.': ['DKK', 'NOK', 'SEK', 'ISK'], 'Fr.': ['CHF'], 'SFr.': ['CHF'],
  Kč: ['CZK'], Ft: ['HUF'], '₪': ['ILS'], '฿': ['THB'], '₫': ['VND'], RM: ['MYR'], Rp: ['IDR'], '₱': ['PHP'],
};

/** The currency of each region whose currency shares a symbol with others. */
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD', CA: 'CAD', AU: 'AUD', NZ: 'NZD', SG: 'SGD', HK: 'HKD', MX: 'MXN', TW: 'TWD', AR: 'ARS', CL: 'CLP', CO: 'COP',
  JP: 'JPY', CN: 'CNY', SE: 'SEK', NO: 'NOK', DK: 'DKK', IS: 'ISK',
};

/** Three capitals that are currency codes to Intl but words on a shop page ("TOP 10", "ALL 3"). */
const WORDS = new Set(['ALL', 'TOP', 'PEN', 'CUP', 'BOB', 'MOP', 'SOS', 'MAD', 'BAM']);
let codes: Set<string> | undefined;

/** Whether three capitals are an ISO 4217 code the browser knows (and not a word). */
export function isCurrencyCode(text: string): boolean {
  codes ??= new Set(Intl.supportedValuesOf('currency'));
  return codes.has(text) && !WORDS.has(text);
}

function regionOf(lang: string): string | undefined {
  try {
    return new Intl.Locale(lang).maximize().region;
  } catch {
    return undefined; // not a language tag
  }
}

/**
 * The one currency a symbol means here, or a sentence saying why it cannot
 * be told. An ISO code means itself.
 */
export function resolveSymbol(symbol: string, context: MoneyContext = {}): string | { unsure: string } {
  const candidates = SYMBOLS[symbol] ?? (isCurrencyCode(symbol) ? [symbol] : []);
  if (candidates.length === 1) return candidates[0]!;
  const hinted = (context.currencies ?? []).map((c) => c.toUpperCase()).find((c) => candidates.includes(c));
  if (hinted) return hinted;
  const regional = context.lang ? REGION_CURRENCY[regionOf(context.lang) ?? ''] : undefined;
  if (regional && candidates.includes(regional)) return regional;
  return { unsure: `"${symbol}" could be ${candidates.join(', ')}, and the page (lang ${context.lang ? `"${context.lang}"` : 'not set'}${context.currencies?.length ? `, currencies ${context.currencies.join(', ')}` : ''}) does not say which` };
}
