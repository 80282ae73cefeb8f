import { decodePaymentRequired, encodePaymentSignature, FACILITATOR_PATH, type Intent, PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMerchantKey } from '../../relay/src/demo/shop/merchant.ts';
import { type ShopWorld, startShopWorld } from '../../relay/test/shop-world.ts';
import { agentpayResourceServer, x402Payments } from '../src/index.ts';

/** `x402Payments` around a paid action with a side effect: the action runs once per payment, whatever races. */
describe('x402Payments: a paid handler runs once per payment', () => {
  let world: ShopWorld;
  let api: ReturnType<typeof serve>;
  let url: string;
  let sent = 0;

  beforeAll(async () => {
    world = await startShopWorld(100_00);
    const key = await loadMerchantKey(world.dataDir);
    const server = await agentpayResourceServer({
      facilitatorUrl: new URL(FACILITATOR_PATH, world.relay.httpUrl).href,
      merchant: { id: world.shop.merchant.id, privateKey: key.privateKey },
      routes: (network) => ({ 'POST /send-sms': { accepts: { scheme: 'exact', network, payTo: world.shop.merchant.id, price: '1.00 CNY', maxTimeoutSeconds: 60 }, description: 'One text message' } }),
    });
    const app = new Hono();
    app.post('/send-sms', x402Payments(server), (c) => {
      sent++;
      return c.json({ sent: true });
    });
    api = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((ok) => api.once('listening', ok));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/send-sms`;
  });
  afterAll(async () => {
    api?.close();
    await world?.close();
  });

  it('ten copies of one payment sent at once: one is served (and charged), nine get 402 and never reach the handler', async () => {
    const required = decodePaymentRequired((await fetch(url, { method: 'POST' })).headers.get(PAYMENT_REQUIRED_HEADER));
    expect(required.accepts[0]).toMatchObject({ amount: '100', asset: 'CNY' });
    const grant = await world.agent.client.post<Intent>('/v1/intents', { merchantId: world.shop.merchant.id, amount: { minor: 100, currency: 'CNY' }, lineItems: [], channel: 'api' });
    const signature = encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted: required.accepts[0]!, payload: { token: grant.token!.secret } });
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(url, { method: 'POST', headers: { [PAYMENT_SIGNATURE_HEADER]: signature } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(402)]);
    expect(sent).toBe(1);
    const charges = await world.relay.ctx.db.query('SELECT id FROM charges WHERE intent_id = $1', [grant.id]);
    expect(charges).toHaveLength(1);
  });
});
