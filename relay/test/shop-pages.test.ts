import { generateSigningKey } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { CHECKOUT_SHAPES, type CheckoutDeps } from '../src/demo/shop/checkout/index.ts';
import { OrderBook, type Order } from '../src/demo/shop/orders.ts';
import { orderPage } from '../src/demo/shop/pages.ts';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

/** An order no real checkout makes: every text field hostile, to see each shape escape it. */
const evilOrder: Order = {
  orderId: `ord_${HOSTILE}`,
  merchantId: `mer_${HOSTILE}`,
  status: 'unpaid',
  amount: { minor: 35_00, currency: 'CNY' },
  lineItems: [{ name: HOSTILE, quantity: 1, unitMinor: 35_00 }],
  category: 'physical_goods',
  createdAt: '2026-11-21T10:00:00.000Z',
  paidAt: null,
  chargeId: null,
  refund: null,
};

async function deps(): Promise<CheckoutDeps> {
  const fail = () => Promise.reject(new Error('no charging in a rendering test'));
  const deps: CheckoutDeps = {
    merchant: { id: evilOrder.merchantId, name: 'Demo Tea Shop', origins: ['http://127.0.0.1:8788'], provenOrigins: ['http://127.0.0.1:8788'], mcc: null, currency: 'CNY', category: 'physical_goods', createdAt: evilOrder.createdAt },
    shopUrl: 'http://127.0.0.1:8788',
    orders: new OrderBook(evilOrder.merchantId),
    charge: fail,
    chargeCard: fail,
    signingKey: (await generateSigningKey()).privateKey,
    now: () => new Date('2026-11-21T10:00:00Z'),
    orderPage: (order, error) => orderPage(order, deps, error),
  };
  return deps;
}

describe('order page escaping', () => {
  it('escapes every value in every checkout shape, in HTML and in script data', async () => {
    const page = await orderPage(evilOrder, await deps(), { code: 'x<b>', message: HOSTILE });
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>');
    // JSON data blocks hold the values with `<` as \u003c, so they cannot end their <script> early.
    expect(page).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    // Every script element the page has is one of the shop's: shared helpers plus the shapes' own.
    const scripts = page.match(/<script\b/g)!.length;
    expect(scripts).toBe(page.match(/<script(?: type="application\/json" id="[a-z-]+")?>/g)!.length);
  });

  it('renders each shape on its own with its section id', async () => {
    const d = await deps();
    for (const shape of CHECKOUT_SHAPES) {
      const html = await shape.render(evilOrder, d);
      expect(html, shape.id).toContain(`<section class="pay" id="${shape.id}">`);
      expect(html, shape.id).not.toContain('<script>alert(1)');
    }
  });
});
