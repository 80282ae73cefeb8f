/**
 * The same classic card form under totals written the local way: German
 * "42,50 €", French "1 234,56 €" (narrow no-break space), Japanese "¥4,980"
 * (JPY has no minor unit), "$64.99" on an en-CA page whose JSON-LD says CAD,
 * Swedish "349,00 kr", a page whose visible total (with shipping) differs from
 * its stale JSON-LD, and a page that shows no total at all.
 */
import type { Money } from '@agentpay/protocol';
import { cardInputs, type CardPageSpec, mountCardPage, type PageInfo } from '../card-form.ts';
import type { Shop } from '../shop.ts';

interface Total { id: string; lang: string; item: string; total: string; amount: Money; shows: string | null; labels: [string, string, string, string, string]; jsonLd?: CardPageSpec['jsonLd']; shapedAfter: string }

const TOTALS: Total[] = [
  { id: 'total-de', lang: 'de', item: 'Thermoskanne', total: '42,50 €', amount: { minor: 4250, currency: 'EUR' }, shows: '42.50 EUR',
    labels: ['Gesamtbetrag', 'Kartennummer', 'Ablaufdatum (MM/JJ)', 'Prüfziffer (CVC)', 'Zahlungspflichtig bestellen'], shapedAfter: 'a German Shopify theme: "42,50 €"' },
  { id: 'total-fr', lang: 'fr', item: 'Vélo pliant', total: '1\u202f234,56\u00a0€', amount: { minor: 123456, currency: 'EUR' }, shows: '1234.56 EUR',
    labels: ['Total', 'Numéro de carte', 'Expiration (MM/AA)', 'CVC', 'Payer'], shapedAfter: 'a French shop formatting with Intl.NumberFormat("fr-FR"): narrow no-break spaces' },
  { id: 'total-ja', lang: 'ja', item: '土鍋', total: '¥4,980', amount: { minor: 4980, currency: 'JPY' }, shows: '4980 JPY',
    labels: ['合計（税込）', 'カード番号', '有効期限 (MM/YY)', 'セキュリティコード', '注文を確定する'], shapedAfter: 'a Japanese shop: "¥4,980", yen without decimals' },
  { id: 'total-en-ca', lang: 'en-CA', item: 'Toque', total: '$64.99', amount: { minor: 6499, currency: 'CAD' }, shows: '64.99 CAD', jsonLd: { price: '64.99', currency: 'CAD' },
    labels: ['Total', 'Card number', 'Expiry (MM/YY)', 'CVV', 'Pay now'], shapedAfter: 'a Canadian shop: "$" with lang en-CA and JSON-LD priceCurrency CAD' },
  { id: 'total-sv', lang: 'sv', item: 'Ullstrumpor', total: '349,00 kr', amount: { minor: 34900, currency: 'SEK' }, shows: '349.00 SEK',
    labels: ['Att betala', 'Kortnummer', 'Giltig till (MM/ÅÅ)', 'CVC', 'Slutför köp'], shapedAfter: 'a Swedish shop: "349,00 kr"' },
  { id: 'total-jsonld-differs', lang: 'en', item: 'Trekking poles (member price applied at payment)', total: '€47.40', amount: { minor: 4250, currency: 'EUR' }, shows: '42.50 EUR', jsonLd: { price: '42.50', currency: 'EUR' },
    labels: ['Total', 'Card number', 'Expiry (MM/YY)', 'CVC', 'Place order'], shapedAfter: "a shop whose visible total is the list price, while its order (JSON-LD Order, and what its server charges) already has the member discount" },
  { id: 'total-none', lang: 'en', item: 'Mystery box', total: '', amount: { minor: 1900, currency: 'EUR' }, shows: null,
    labels: ['', 'Card number', 'Expiry (MM/YY)', 'CVC', 'Complete order'], shapedAfter: 'a one-item page showing no price at all (the server knows it)' },
];

export function mountTotals(shop: Shop): PageInfo[] {
  return TOTALS.map((t) => mountCardPage(shop, {
    id: t.id, family: 'totals', path: `/locale/${t.id}`, lang: t.lang, title: t.labels[4], items: [{ name: t.item, price: t.total }],
    totalLabel: t.labels[0], total: t.total, amount: t.amount, shows: t.shows, button: t.labels[4], jsonLd: t.jsonLd,
    fields: () => cardInputs({ number: t.labels[1], expiry: t.labels[2], cvc: t.labels[3] }, { number: 'cardno', expiry: 'cardexp', cvc: 'cardcvc' }, true),
    read: (f) => ({ number: f.cardno, expiry: f.cardexp, cvc: f.cardcvc }),
    shapedAfter: t.shapedAfter, cardTravels: 'form POST, urlencoded, to the shop',
  }));
}
