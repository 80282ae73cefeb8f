import { type Charge, type Intent, RelayHttpClient } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoShop, startDemoShop } from '../src/demo/shop.ts';
import { ShopClient } from '../src/demo/shop/client.ts';
import { loadMerchantKey } from '../src/demo/shop/merchant.ts';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** The user reverses a payment in the AI Wallet; the merchant must learn of it, as from a real payments API. */
describe.each(STORES)('a refund reaches the merchant, on %s', (store) => {
  let relay: Relay;
  let shop: DemoShop;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'refunds-'));
    relay = await startTestRelay(store);
    shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  });
  afterAll(async () => {
    await shop?.close();
    await dropSchema(relay);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows the merchant its charge partly and then fully refunded when the user reverses the rest in the wallet", async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 40_00));
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: intent.amount });
    const read = () => merchant.client.get<Charge>(`/v1/merchant/charges/${charge.id}`);
    expect(await read()).toMatchObject({ status: 'succeeded', refundedMinor: 0 });
    await merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 10_00, currency: 'CNY' } });
    expect(await read()).toMatchObject({ status: 'partially_refunded', refundedMinor: 10_00 });
    await wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, {});
    expect(await read()).toMatchObject({ status: 'refunded', refundedMinor: 40_00 });
  });

  it("marks the demo shop's order refunded, in its API and on its order page, once the user reversed it", async () => {
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', merchants: [shop.merchant.id] });
    const client = new ShopClient(shop.url);
    const order = await client.createOrder([{ productId: 'longjing', quantity: 2 }]);
    const intent = await agent.client.post<Intent>('/v1/intents', { ...cart(shop.merchant.id, order.amount.minor), lineItems: order.lineItems });
    const paid = await client.pay(order.orderId, intent.token!.secret);
    expect(paid).toMatchObject({ status: 'paid', refund: null });
    const page = () => fetch(new URL(`/orders/${order.orderId}`, shop.url)).then((r) => r.text());
    expect(await page()).not.toContain('order-refund');

    await wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, {});
    expect(await client.order(order.orderId)).toMatchObject({ status: 'paid', refund: { status: 'refunded', amount: { minor: 70_00, currency: 'CNY' } } });
    expect(await page()).toMatch(/<p class="refunded" id="order-refund" role="status">Refunded in full: 70\.00 CNY returned to the buyer\.<\/p>/);
  });

  it('shows a partial refund as partial on the order page', async () => {
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', merchants: [shop.merchant.id] });
    const client = new ShopClient(shop.url);
    const order = await client.createOrder([{ productId: 'longjing', quantity: 2 }]);
    const intent = await agent.client.post<Intent>('/v1/intents', { ...cart(shop.merchant.id, order.amount.minor), lineItems: order.lineItems });
    const paid = await client.pay(order.orderId, intent.token!.secret);
    // The shop gives part back (an item out of stock) through the relay's merchant API, with its own key.
    const key = await loadMerchantKey(dataDir);
    const asShop = new RelayHttpClient(relay.httpUrl, { id: shop.merchant.id, privateKey: key.privateKey });
    await asShop.post(`/v1/merchant/charges/${paid.chargeId}/refunds`, { amount: { minor: 25_00, currency: 'CNY' }, reason: 'one tin out of stock' });
    expect(await client.order(order.orderId)).toMatchObject({ refund: { status: 'partially_refunded', amount: { minor: 25_00, currency: 'CNY' } } });
    const html = await fetch(new URL(`/orders/${order.orderId}`, shop.url)).then((r) => r.text());
    expect(html).toContain('Partly refunded: 25.00 CNY of 70.00 CNY returned to the buyer.');
  });
});
