import { decodePaymentRequired, decodePaymentResponse, type Intent, type Money, PAYMENT_REQUIRED_HEADER, PAYMENT_RESPONSE_HEADER } from '@agentpay/protocol';
import { wrapFetchWithPayment } from '@x402/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, until } from '../../relay/test/harness.ts';
import { type ShopWorld, startShopWorld } from '../../relay/test/shop-world.ts';
import { agentpayFetch, agentpayX402Client } from '../src/index.ts';

/** The official x402 client (`@x402/fetch`) with AgentPay's scheme pays the demo shop, served by the official resource server. */
describe('x402 v2: the official client pays an AgentPay merchant', () => {
  let world: ShopWorld;
  const BUDGET = 100_00;

  beforeAll(async () => {
    world = await startShopWorld(BUDGET);
  });
  afterAll(async () => {
    await world?.close();
  });

  const records = async () =>
    (await world.wallet.client.get<{ records: (Intent & { boughtBy: { id: string; name: string }; charge: { id: string; amount: Money } | null })[] }>('/v1/wallet/records')).records;

  it('answers a decodable v2 402, then 200 with a PAYMENT-RESPONSE naming the charge; the wallet shows it bought by the agent', async () => {
    const unpaid = await fetch(`${world.shop.url}/api/tea-guide`);
    expect(unpaid.status).toBe(402);
    const required = decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER));
    expect(required).toMatchObject({ x402Version: 2, resource: { url: `${world.shop.url}/api/tea-guide` } });
    expect(required.accepts[0]).toEqual({
      scheme: 'exact', network: expect.stringMatching(/^agentpay:[-_A-Za-z0-9]{16}$/), amount: '200', asset: 'CNY', payTo: world.shop.merchant.id,
      maxTimeoutSeconds: 300, extra: { category: 'digital_goods', merchantName: 'Demo Tea Shop' },
    });

    const pay = wrapFetchWithPayment(fetch, agentpayX402Client(world.agent.client, { origin: world.shop.url }));
    const paid = await pay(`${world.shop.url}/api/tea-guide`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ guide: { title: 'Brewing Longjing' } });
    const settlement = decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER));
    expect(settlement).toMatchObject({ success: true, transaction: expect.stringMatching(/^chg_/), network: required.accepts[0]!.network, payer: world.agent.record.id });

    const record = (await records()).find((r) => r.charge?.id === settlement.transaction);
    expect(record).toMatchObject({ boughtBy: { id: world.agent.record.id }, merchantId: world.shop.merchant.id, amount: { minor: 200, currency: 'CNY' }, channel: 'api' });
  });

  it("pays an order's receipt: the charge carries the order id and the order reads paid", async () => {
    const order = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const pay = wrapFetchWithPayment(fetch, agentpayX402Client(world.agent.client, { origin: world.shop.url }));
    const paid = await pay(`${world.shop.url}/api/orders/${order.orderId}/receipt`);
    expect(paid.status).toBe(200);
    const { transaction } = decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER));
    expect(await paid.json()).toMatchObject({ receipt: { orderId: order.orderId, chargeId: transaction, amount: order.amount } });
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid', chargeId: transaction });
    const [charge] = await world.relay.ctx.db.query<{ reference: string }>('SELECT reference FROM charges WHERE id = $1', [transaction]);
    expect(charge?.reference).toBe(order.orderId);
  });

  it('holds a payment above the budget for the user; once they approve in the wallet, it is paid', async () => {
    // A cart of ¥180 after what was spent: above the ¥100 month.
    const order = await world.client.createOrder([{ productId: 'teapot', quantity: 1 }]);
    expect(order.amount.minor).toBeGreaterThan(BUDGET);
    let held: Intent | undefined;
    const pay = wrapFetchWithPayment(fetch, agentpayX402Client(world.agent.client, { origin: world.shop.url, onHeld: (intent) => { held = intent; } }));
    const paying = pay(`${world.shop.url}/api/orders/${order.orderId}/receipt`);
    await until(() => held !== undefined);
    expect(held).toMatchObject({ status: 'pending_confirmation', amount: order.amount });
    await answer(world.wallet, held!, 'approve');
    const paid = await paying;
    expect(paid.status).toBe(200);
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid' });
  });

  it('a payment the user refuses is not made: the client fails and the resource stays unpaid', async () => {
    const order = await world.client.createOrder([{ productId: 'teapot', quantity: 1 }]);
    let held: Intent | undefined;
    const pay = wrapFetchWithPayment(fetch, agentpayX402Client(world.agent.client, { origin: world.shop.url, onHeld: (intent) => { held = intent; } }));
    const paying = pay(`${world.shop.url}/api/orders/${order.orderId}/receipt`).catch((error: unknown) => error);
    await until(() => held !== undefined);
    await answer(world.wallet, held!, 'deny');
    const failure = await paying;
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error & { cause?: unknown }).cause ?? failure)).toMatch(/did not approve|denied/);
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
  });

  it('agentpayFetch (the README\'s way) pays with each request signed by the relay, and the shop knows the agent', async () => {
    const paid = await agentpayFetch(world.agent.client)(`${world.shop.url}/api/tea-guide`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ reader: { signedAgent: new URL(world.relay.httpUrl).origin } });
    expect(decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER))).toMatchObject({ success: true });
  });
});
