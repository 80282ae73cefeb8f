import {
  decodePaymentRequired, decodePaymentSignature, encodePaymentSignature, type Intent, PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER,
} from '@agentpay/protocol';
import { wrapFetchWithPayment } from '@x402/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShopWorld, startShopWorld } from '../../relay/test/shop-world.ts';
import { agentpayX402Client } from '../src/index.ts';

/** What a merchant's official x402 server does with payments that were used, altered or meant for something else. */
describe('x402 v2: replayed and tampered payments are refused', () => {
  let world: ShopWorld;
  beforeAll(async () => {
    world = await startShopWorld(1000_00);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Pays once with the official client and keeps the PAYMENT-SIGNATURE it sent. */
  async function payAndKeepSignature(url: string): Promise<string> {
    let signature: string | undefined;
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      signature = request.headers.get(PAYMENT_SIGNATURE_HEADER) ?? signature;
      return fetch(request);
    };
    const paid = await wrapFetchWithPayment(recording, agentpayX402Client(world.agent.client, { origin: world.shop.url }))(url);
    expect(paid.status).toBe(200);
    return signature!;
  }
  const refusal = async (response: Response) => {
    expect(response.status).toBe(402);
    return decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER)).error;
  };
  const chargeCount = async () => Number((await world.relay.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM charges'))[0]!.n);

  it('replaying the same PAYMENT-SIGNATURE is refused and charges nothing more', async () => {
    const url = `${world.shop.url}/api/tea-guide`;
    const signature = await payAndKeepSignature(url);
    const before = await chargeCount();
    const replay = await fetch(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: signature } });
    expect(await refusal(replay)).toMatch(/token_already_used|already charged/);
    expect(await chargeCount()).toBe(before);
  });

  it('the same signature sent ten times at once is charged once, and only one answer is the paid resource', async () => {
    const url = `${world.shop.url}/api/tea-guide`;
    // A token granted but not yet used: the agent's own payment, raced against itself.
    const grant = await world.agent.client.post<Intent>('/v1/intents', {
      merchantId: world.shop.merchant.id, amount: { minor: 200, currency: 'CNY' }, lineItems: [], channel: 'api',
    });
    const required = decodePaymentRequired((await fetch(url)).headers.get(PAYMENT_REQUIRED_HEADER));
    const signature = encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted: required.accepts[0]!, payload: { token: grant.token!.secret } });
    const before = await chargeCount();
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: signature } })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 402)).toHaveLength(9);
    expect(await chargeCount()).toBe(before + 1);
  });

  it('a tampered amount is refused: lowered in what was accepted, or a cheaper payment offered for a dearer resource', async () => {
    const order = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const receipt = `${world.shop.url}/api/orders/${order.orderId}/receipt`;
    const guideSignature = decodePaymentSignature(await payAndKeepSignature(`${world.shop.url}/api/tea-guide`));
    const required = decodePaymentRequired((await fetch(receipt)).headers.get(PAYMENT_REQUIRED_HEADER));

    // The receipt's requirements with the amount lowered to the guide's: the server matches no requirement it made.
    const lowered = encodePaymentSignature({ ...guideSignature, accepted: { ...required.accepts[0]!, amount: '200' } });
    expect(await refusal(await fetch(receipt, { headers: { [PAYMENT_SIGNATURE_HEADER]: lowered } }))).toBeTruthy();

    // A fresh ¥2 token under the receipt's true requirements: the relay refuses the amount.
    const cheap = await world.agent.client.post<Intent>('/v1/intents', {
      merchantId: world.shop.merchant.id, amount: { minor: 200, currency: 'CNY' }, lineItems: [], channel: 'api',
    });
    const swapped = encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted: required.accepts[0]!, payload: { token: cheap.token!.secret } });
    expect(await refusal(await fetch(receipt, { headers: { [PAYMENT_SIGNATURE_HEADER]: swapped } }))).toMatch(/token_amount_mismatch|pays exactly/);
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
  });

  it('a payload that is not a token, or a forged one, is refused by name', async () => {
    const url = `${world.shop.url}/api/tea-guide`;
    const required = decodePaymentRequired((await fetch(url)).headers.get(PAYMENT_REQUIRED_HEADER));
    const send = (payload: Record<string, unknown>) =>
      fetch(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted: required.accepts[0]!, payload }) } });
    expect(await refusal(await send({ signature: '0xdeadbeef' }))).toMatch(/invalid_payload|token/);
    expect(await refusal(await send({ token: 'tok_forged_secret' }))).toMatch(/token_not_found|never issued/);
    expect((await fetch(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: 'not base64 json' } })).status).toBe(402);
  });
});
