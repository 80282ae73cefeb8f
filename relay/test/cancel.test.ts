import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cancellation } from '../src/intents/cancel.ts';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';


describe.each(STORES)('cancelling a payment whose checkout is gone, on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
  });
  afterAll(() => dropSchema(relay));

  const cancel = (intentId: string, reason = 'the checkout tab was closed before you answered; nothing was paid') =>
    parties.wallet.client.post<Cancellation>(`/v1/wallet/intents/${intentId}/cancel`, { reason });
  const held = () => parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00));

  it('ends a held intent: it no longer waits for the wallet, and the agent can never be approved for it', async () => {
    const intent = await held();
    expect(await cancel(intent.id)).toMatchObject({ cancelled: 'held' });
    const { confirmations } = await parties.wallet.client.get<{ confirmations: { intentId: string }[] }>('/v1/wallet/confirmations');
    expect(confirmations.map((c) => c.intentId)).not.toContain(intent.id);
    await expect(answer(parties.wallet, intent, 'approve')).rejects.toMatchObject({ code: 'intent_not_pending' });
    expect((await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`)).status).toBe('denied');
  });

  it('revokes an approved token nobody charged, so the merchant can no longer charge it', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    const { token } = await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`);
    expect(await cancel(intent.id)).toMatchObject({ cancelled: 'token' });
    await expect(
      parties.merchant.client.post('/v1/merchant/charges', { token: token!.secret, amount: { minor: 12_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ status: 410, code: "token_revoked" });
  });

  it('leaves a charged payment alone (cancelling is never a refund) and says so', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    const { token } = await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`);
    await parties.merchant.client.post('/v1/merchant/charges', { token: token!.secret, amount: { minor: 12_00, currency: 'CNY' } });
    expect(await cancel(intent.id)).toEqual({ cancelled: 'nothing', intentId: intent.id, status: 'approved', tokenStatus: 'charged' });
  });

  it('refuses a missing reason with a 400 naming it, and another wallet\'s intent with a 404', async () => {
    const intent = await held();
    await expect(parties.wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, {})).rejects.toMatchObject({ status: 400, message: expect.stringContaining('reason') });
    const other = await setUpParties(relay);
    await expect(other.wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});

describe.each(STORES)('cancelling a held payment whose time already ran out, on %s', (store) => {
  let relay: Relay;
  let now = Date.now();
  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => new Date(now) });
  });
  afterAll(() => dropSchema(relay));

  it('says it expired (nobody answered), not that it was cancelled, even before the sweeper marked it', async () => {
    const parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each', issuedAt: new Date(now).toISOString() });
    const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00, { createdAt: new Date(now).toISOString() }));
    now = Date.parse(intent.confirmBy!) + 1_000;
    const answer = await parties.wallet.client.post<Cancellation>(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'the checkout tab was closed; nothing was paid' });
    expect(answer).toMatchObject({ cancelled: 'nothing', status: 'expired' });
    const record = await parties.wallet.client.get<{ story: { state: string } }>(`/v1/wallet/records/${intent.id}`);
    expect(record.story.state).toBe('expired');
  });
});
