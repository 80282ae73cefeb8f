import { type Actor, type Intent, type Merchant, MERCHANT_ORIGIN_PROOF_PATH, RelayHttpClient } from '@agentpay/protocol';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoShop, startDemoShop } from '../src/demo/shop.ts';
import type { ShopClient } from '../src/demo/shop/client.ts';
import type { Relay } from '../src/relay.ts';
import { cart, type Party } from './harness.ts';
import { type ShopWorld, startShopWorld } from './shop-world.ts';

describe('demo shop', () => {
  let world: ShopWorld;
  let relay: Relay;
  let shop: DemoShop;
  let client: ShopClient;
  let dataDir: string;
  let agent: Party<Actor>;

  beforeAll(async () => {
    world = await startShopWorld(1000_00);
    ({ relay, shop, client, dataDir, agent } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A token the relay grants for `minor` at the demo shop. */
  const tokenFor = async (minor: number) =>
    (await agent.client.post<Intent>('/v1/intents', cart(shop.merchant.id, minor))).token!.secret;

  it('lists its products with the merchant id an agent needs', async () => {
    const catalog = await client.catalog();
    expect(catalog.merchant).toMatchObject({ id: shop.merchant.id, name: 'Demo Tea Shop', origins: [shop.url] });
    expect(catalog.products.find((p) => p.id === 'teapot')).toMatchObject({ unitMinor: 189_00 });
  });

  it('proves its origin to the relay, so a wallet finds it by the URL it sells at', async () => {
    expect(shop.merchant.provenOrigins).toEqual([shop.url]);
    const proof = await fetch(`${shop.url}${MERCHANT_ORIGIN_PROOF_PATH}`);
    expect(proof.status).toBe(200);
    const { merchants } = await new RelayHttpClient(relay.httpUrl, undefined).get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(shop.url)}`);
    expect(merchants.map((m) => m.id)).toEqual([shop.merchant.id]);
  });

  it('registers CNY as its currency, so a wallet reads its "¥" as yuan', async () => {
    const { merchants } = await new RelayHttpClient(relay.httpUrl, undefined).get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(shop.url)}`);
    expect(merchants.map((m) => m.currency)).toEqual(['CNY']);
  });

  it('prices an order in the shape of an intent', async () => {
    const order = await client.createOrder([{ productId: 'longjing', quantity: 2 }, { productId: 'teapot', quantity: 1 }]);
    expect(order).toMatchObject({
      orderId: expect.stringMatching(/^ord_/), merchantId: shop.merchant.id, status: 'unpaid', category: 'physical_goods',
      amount: { minor: 259_00, currency: 'CNY' },
      lineItems: [{ name: 'West Lake Longjing green tea, 50 g', quantity: 2, unitMinor: 35_00 }, { name: 'Yixing clay teapot', quantity: 1, unitMinor: 189_00 }],
    });
  });

  it('refuses bad orders, naming what was wrong', async () => {
    await expect(client.createOrder([{ productId: 'matcha', quantity: 1 }])).rejects.toMatchObject({ code: 'unknown_product', status: 422 });
    await expect(client.createOrder([{ productId: 'longjing', quantity: 0 }])).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('quantity') });
    await expect(client.createOrder([])).rejects.toMatchObject({ code: 'invalid_request' });
    const response = await fetch(`${shop.url}/api/orders`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
    await expect(client.order('ord_missing')).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it("passes the relay's refusal through and keeps the order unpaid, then takes a good token", async () => {
    const order = await client.createOrder([{ productId: 'longjing', quantity: 2 }]);
    await expect(client.pay(order.orderId, '')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.pay(order.orderId, await tokenFor(35_00))).rejects.toMatchObject({ code: 'token_amount_exceeded', status: 422 });
    expect(await client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
    // A refused charge does not use up the order's Idempotency-Key.
    const paid = await client.pay(order.orderId, await tokenFor(70_00));
    expect(paid).toMatchObject({ status: 'paid', chargeId: expect.stringMatching(/^chg_/) });
  });

  it('charges once when the same order is paid twice at the same time', async () => {
    const order = await client.createOrder([{ productId: 'tieguanyin', quantity: 1 }]);
    const token = await tokenFor(58_00);
    const [first, second] = await Promise.all([client.pay(order.orderId, token), client.pay(order.orderId, token)]);
    expect(second.chargeId).toBe(first.chargeId);
    const rows = await relay.ctx.db.query('SELECT id FROM charges WHERE reference = $1', [order.orderId]);
    expect(rows).toHaveLength(1);
  });

  it('keeps its key, and so its merchant id, across restarts', async () => {
    expect(statSync(join(dataDir, 'demo-shop-key.json')).mode & 0o777).toBe(0o600);
    const again = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
    try {
      expect(again.merchant.id).toBe(shop.merchant.id);
    } finally {
      await again.close();
    }
  });

  it('serves pages for people: products, checkout, order and a refused token', async () => {
    const home = await (await fetch(shop.url)).text();
    expect(home).toContain('Demo Tea Shop');
    expect(home).toContain('189.00 CNY');
    expect(await (await fetch(`${shop.url}/checkout?longjing=2&teapot=0`)).text()).toContain('70.00 CNY');

    const placed = await fetch(`${shop.url}/checkout`, { method: 'POST', body: new URLSearchParams({ longjing: '2' }), redirect: 'manual' });
    expect(placed.status).toBe(303);
    const orderPath = placed.headers.get('location')!;
    expect(orderPath).toMatch(/^\/orders\/ord_/);
    expect(await (await fetch(shop.url + orderPath)).text()).toContain('Pay with an agent token');

    const refused = await fetch(`${shop.url}${orderPath}/pay`, { method: 'POST', body: new URLSearchParams({ token: '<script>alert(1)</script>' }), redirect: 'manual' });
    expect(refused.status).toBe(404);
    const page = await refused.text();
    expect(page).toContain('token_not_found');
    // The order page has scripts of its own now; what must not appear is the refused value, unescaped.
    expect(page).not.toContain('<script>alert(1)');
  });
});
