// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { readPageOrder } from './page-order.ts';

const FORM = '<form id="f"><input autocomplete="cc-number"></form>';
const ld = (data: unknown) => `<script type="application/ld+json">${JSON.stringify(data)}</script>`;

function page(lang: string | null, head: string, body: string): Element {
  if (lang === null) document.documentElement.removeAttribute('lang');
  else document.documentElement.lang = lang;
  document.head.innerHTML = `<title>Checkout</title>${head}`;
  document.body.innerHTML = body;
  return document.getElementById('f')!;
}

beforeEach(() => page(null, '', ''));

describe('readPageOrder, the visible total in six languages and their formats', () => {
  it.each([
    ['German', 'de', '', `<p>Zwischensumme 30,00 €</p><p>Gesamtsumme 42,50 €</p>${FORM}`, undefined, 4250, 'EUR'],
    ['German, tax after the total', 'de-DE', '', `<div>Gesamt: 1.234,56 € (inkl. MwSt. 197,12 €)</div>${FORM}`, undefined, 123456, 'EUR'],
    ['French, narrow no-break spaces, a subtotal before', 'fr', '', `<table><tr><td>Sous-total</td><td>1\u202F000,00 €</td></tr><tr><td>Total TTC</td><td>1\u202F234,56\u00A0€</td></tr></table>${FORM}`, undefined, 123456, 'EUR'],
    ['French "Montant total"', 'fr-FR', '', `<dl><dt>Montant total</dt><dd>42,50 €</dd></dl>${FORM}`, undefined, 4250, 'EUR'],
    ['Spanish', 'es', '', `<p>Importe total: 1.234,56 €</p>${FORM}`, undefined, 123456, 'EUR'],
    ['Japanese yen', 'ja', '', `<p>小計 ¥4,500</p><p>お支払い金額 <strong>¥4,980</strong></p>${FORM}`, undefined, 4980, 'JPY'],
    ['Japanese 合計 in 円', 'ja-JP', '', `<p>合計 4,980円（税込）</p>${FORM}`, undefined, 4980, 'JPY'],
    ['Chinese yuan', 'zh-CN', '', `<p>合计：¥35.00</p>${FORM}`, undefined, 3500, 'CNY'],
    ['Swiss francs', 'de-CH', '', `<p>Total CHF 1'234.50</p>${FORM}`, undefined, 123450, 'CHF'],
    ['English dollars', 'en', '', `<p>Subtotal $10.00</p><p>Order total $12.00</p>${FORM}`, undefined, 1200, 'USD'],
    ['¥ decided by a JSON-LD Product, no lang', null, ld({ '@context': 'https://schema.org', '@type': 'Product', offers: { '@type': 'Offer', price: '4980', priceCurrency: 'JPY' } }), `<p>合計 ¥4,980</p>${FORM}`, undefined, 4980, 'JPY'],
    ['$ decided by og:price:currency', 'en', '<meta property="og:price:currency" content="CAD">', `<p>Total $12.00</p>${FORM}`, undefined, 1200, 'CAD'],
    ['kr decided by the merchant\'s registered currency', null, '', `<p>Total kr 99</p>${FORM}`, ['NOK'], 9900, 'NOK'],
  ] as const)('%s', (_title, lang, head, body, hints, minor, currency) => {
    const scope = page(lang, head, body);
    expect(readPageOrder(document, scope, { currencies: hints }).amount).toEqual({ minor, currency });
  });
});

describe('readPageOrder, where the total is', () => {
  it('reads the total nearest the checkout, not a cart total elsewhere on the page', () => {
    const scope = page('en', '', `<aside><p>Cart total $99.00</p></aside><section><p>Order total $12.00</p>${FORM}</section>`);
    expect(readPageOrder(document, scope).amount).toEqual({ minor: 1200, currency: 'USD' });
  });

  it('reads a total inside an open shadow root, also for a form inside another one', () => {
    page('de', '', '<order-summary id="summary"></order-summary><pay-form id="pay"></pay-form>');
    document.getElementById('summary')!.attachShadow({ mode: 'open' }).innerHTML = '<div><span>Summe</span> <b>42,50 €</b></div>';
    const shadow = document.getElementById('pay')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = FORM;
    expect(readPageOrder(document, shadow.getElementById('f')).amount).toEqual({ minor: 4250, currency: 'EUR' });
    expect(readPageOrder(document, null).amount).toEqual({ minor: 4250, currency: 'EUR' });
  });
});

describe('readPageOrder, JSON-LD first', () => {
  it('takes a JSON-LD Order (in an @graph) over the visible total, with its items', () => {
    const order = {
      '@type': 'Order', orderNumber: 'A-17', name: 'Two mugs',
      totalPaymentDue: { '@type': 'PriceSpecification', price: '25.00', priceCurrency: 'EUR' },
      acceptedOffer: [{ '@type': 'Offer', price: '12.50', itemOffered: { name: 'Mug' }, eligibleQuantity: { value: 2 } }],
    };
    const scope = page('de', ld({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, order] }), `<p>Gesamt 30,00 €</p>${FORM}`);
    expect(readPageOrder(document, scope)).toEqual({
      amount: { minor: 2500, currency: 'EUR' }, lineItems: [{ name: 'Mug', quantity: 2, unitMinor: 1250 }], reference: 'A-17', description: 'Two mugs',
    });
  });

  // Issue 11 item 5: a category only when the page states one; the relay takes the merchant's default otherwise.
  it('takes the category the JSON-LD states, and guesses none where it states none or the page shows only a total', () => {
    const stated = page('en', ld({
      '@type': 'Order', totalPaymentDue: { price: '58.00', priceCurrency: 'CNY' },
      acceptedOffer: { '@type': 'Offer', price: '58.00', itemOffered: { name: 'Tea', category: 'physical_goods' } },
    }), FORM);
    expect(readPageOrder(document, stated).category).toBe('physical_goods');
    const unstated = page('en', ld({ '@type': 'Order', totalPaymentDue: { price: '58.00', priceCurrency: 'CNY' } }), FORM);
    expect(readPageOrder(document, unstated)).not.toHaveProperty('category');
    const totalOnly = page('en', '', `<p>Total 58.00 CNY</p>${FORM}`);
    expect(readPageOrder(document, totalOnly)).not.toHaveProperty('category');
  });

  it('falls back to the visible total when the JSON-LD Order has no currency', () => {
    const scope = page('de', ld({ '@type': 'Order', totalPaymentDue: { price: '25.00' } }), `<p>Gesamt 30,00 €</p>${FORM}`);
    expect(readPageOrder(document, scope).amount).toEqual({ minor: 3000, currency: 'EUR' });
  });
});

describe('readPageOrder, when there is no total it can read', () => {
  it.each([
    ['no total at all', 'en', `<p>Pay now</p>${FORM}`, /does not show an order total/],
    ['a yen sign on a page that names no language or currency', null, `<p>Total ¥4,980</p>${FORM}`, /"¥" could be JPY, CNY/],
    ['a dollar on a Spanish page', 'es', `<p>Total $1.234</p>${FORM}`, /"\$" could be USD/],
    ['only a subtotal', 'fr', `<p>Sous-total 10,00 €</p>${FORM}`, /does not show an order total/],
  ] as const)('%s: throws saying why', (_title, lang, body, why) => {
    const scope = page(lang, '', body);
    expect(() => readPageOrder(document, scope)).toThrow(why);
  });

  it('says what was wrong with a JSON-LD Order when the visible total fails too', () => {
    const scope = page('en', ld({ '@type': 'Order', totalPaymentDue: { price: '25.00' } }), FORM);
    expect(() => readPageOrder(document, scope)).toThrow(/no priceCurrency/);
  });
});

describe('readPageOrder, the item lines beside a visible total', () => {
  const table = (rows: string, total: string) => `<table><tbody>${rows}</tbody><tfoot><tr><th>Total</th><th></th><th>${total}</th></tr></tfoot></table>${FORM}`;
  it.each([
    ['the demo shop\'s lines, "2 × 35.00"', table('<tr><td>Longjing</td><td>2 × 35.00 CNY</td><td>70.00 CNY</td></tr><tr><td>Pu-erh</td><td>1 × 128.00 CNY</td><td>128.00 CNY</td></tr>', '198.00 CNY'),
      [{ name: 'Longjing', quantity: 2, unitMinor: 35_00 }, { name: 'Pu-erh', quantity: 1, unitMinor: 128_00 }]],
    ['a list with one price a line', '<ul><li>Mug $12.50</li><li>Tea $7.50</li><li>Order total $20.00</li></ul>' + FORM, [{ name: 'Mug', quantity: 1, unitMinor: 12_50 }, { name: 'Tea', quantity: 1, unitMinor: 7_50 }]],
    ['lines that do not add up to the total: none', table('<tr><td>Mug</td><td>$12.50</td></tr>', '$20.00'), []],
    ['a shipping row: not items, so none', table('<tr><td>Mug</td><td>$12.50</td></tr><tr><td>Shipping</td><td>$7.50</td></tr>', '$20.00'), []],
    ['a row without a price: none', table('<tr><td>Mug</td><td>$20.00</td></tr><tr><td>Gift wrap</td><td>free</td></tr>', '$20.00'), []],
    ['a total outside any table: none', `<p>Mug $20.00</p><p>Total $20.00</p>${FORM}`, []],
  ] as const)('%s', (_title, body, lines) => {
    const scope = page('en', '', body);
    expect(readPageOrder(document, scope).lineItems).toEqual(lines);
  });
});

describe('readPageOrder, stopping at a total it cannot place', () => {
  it('reads a farther total with its currency named, unless told to stop at the nearer unsure one', () => {
    const scope = page(null, '', `<p>Total ¥128</p>${FORM}<p>Order total CNY 9,999.00</p>`);
    expect(readPageOrder(document, scope).amount).toEqual({ minor: 999_900, currency: 'CNY' });
    expect(() => readPageOrder(document, scope, { stopAtUnsure: true })).toThrow(/cannot be read safely/);
    expect(readPageOrder(document, scope, { currencies: ['CNY'] }).amount).toEqual({ minor: 128_00, currency: 'CNY' });
  });
});
