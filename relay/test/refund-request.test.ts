import type { Actor, Intent, Merchant, Wallet, WalletRecord } from '@agentpay/protocol';
import { ProtocolError } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { addActor, cart, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** An agent asks its user to refund a payment; only the user (or the merchant) moves money back. */
describe.each(STORES)('refund requests (%s)', (store) => {
  let relay: Relay;
  let wallet: Party<Wallet>;
  let merchant: Party<Merchant>;
  let agent: Party<Actor>;

  beforeAll(async () => {
    relay = await startTestRelay(store);
    ({ wallet, merchant, agent } = await setUpParties(relay));
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
  });
  afterAll(async () => {
    await relay?.close();
  });

  async function charged(minor: number): Promise<Intent> {
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, minor));
    await merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: intent.amount });
    return intent;
  }
  const ask = (who: Party<Actor>, id: string, reason: string) => who.client.post<{ asked: string; reason: string; refundableMinor: number }>(`/v1/intents/${id}/refund-request`, { reason });
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: ProtocolError) => ({ code: error.code, status: error.status, message: error.message }));

  it('records the ask with its reason on the wallet\'s record; asking again keeps the first', async () => {
    const intent = await charged(25_00);
    expect(await ask(agent, intent.id, 'The parcel never came')).toMatchObject({ asked: 'asked', refundableMinor: 25_00 });
    expect(await ask(agent, intent.id, 'Another reason')).toMatchObject({ asked: 'already', reason: 'The parcel never came' });
    const record = await wallet.client.get<WalletRecord>(`/v1/wallet/records/${intent.id}`);
    expect(record.refundAsked).toMatchObject({ reason: 'The parcel never came', at: expect.any(String) });
    expect(record.charge?.refundedMinor).toBe(0);
  });

  it('refuses, naming why: a payment never charged, one refunded in full, another agent\'s, a reason missing', async () => {
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 2000_00));
    expect(await refusal(ask(agent, held.id, 'x'))).toMatchObject({ code: 'nothing_to_refund', status: 409, message: expect.stringContaining('never charged') });
    const refunded = await charged(3_00);
    await wallet.client.post(`/v1/wallet/records/${refunded.id}/reverse`, { reason: 'changed my mind' });
    expect(await refusal(ask(agent, refunded.id, 'x'))).toMatchObject({ code: 'nothing_to_refund', message: expect.stringContaining('refunded in full') });
    const other = await addActor(relay, wallet.client);
    expect(await refusal(ask(other, refunded.id, 'x'))).toMatchObject({ code: 'not_found', status: 404 });
    expect(await refusal(agent.client.post(`/v1/intents/${refunded.id}/refund-request`, {}))).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('reason') });
  });

  it('an ask racing the user\'s refund: either the ask lands before, or it is told there is nothing left, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const intent = await charged(4_00);
      const [asked, reversed] = await Promise.all([
        refusal(ask(agent, intent.id, 'wrong size')),
        wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, { reason: 'refund' }),
      ]);
      expect(reversed).toMatchObject({ reversed: 'refunded' });
      if (asked) expect(asked).toMatchObject({ code: 'nothing_to_refund' });
      const record = await wallet.client.get<WalletRecord>(`/v1/wallet/records/${intent.id}`);
      expect(record.charge?.refundedMinor).toBe(4_00);
      expect(record.refundAsked !== null).toBe(asked === null);
    }
  });
});
