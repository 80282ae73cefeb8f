/**
 * What a page says about the currency and locale of its prices: its language
 * (the `lang` nearest the checkout, else the document's), and the currencies
 * it names, strongest first: JSON-LD priceCurrency, then meta tags
 * (og:price:currency, product:price:currency, itemprop=priceCurrency), then
 * the caller's hints (the merchant's registered currency).
 */
import type { MoneyContext } from './currency-symbols.ts';
import { jsonLdCurrencies } from './json-ld.ts';

const META = 'meta[property="og:price:currency"], meta[property="product:price:currency"], meta[itemprop="priceCurrency"], [itemprop="priceCurrency"]';

export function moneyContextOf(doc: Document, scope: Element | null, nodes: Record<string, unknown>[], hints: readonly string[] = []): MoneyContext {
  const lang =
    scope?.closest('[lang]')?.getAttribute('lang') ||
    doc.documentElement.getAttribute('lang') ||
    doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content') ||
    undefined;
  const meta = [...doc.querySelectorAll(META)].map((element) => (element.getAttribute('content') ?? element.textContent ?? '').trim().toUpperCase());
  const currencies = [...jsonLdCurrencies(nodes), ...meta, ...hints.map((h) => h.toUpperCase())].filter((c) => /^[A-Z]{3}$/.test(c));
  return { lang: lang?.trim() || undefined, currencies: [...new Set(currencies)] };
}
