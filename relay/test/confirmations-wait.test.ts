import type { ConfirmationRequest, Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * The wallet asks for a task's confirmation beside the agent's POST /v1/intents, so the request reaches
 * the confirmation window as the relay holds the intent rather than one round trip later.
 */
describe.each(STORES)('GET /v1/wallet/confirmations?taskId=&waitSeconds=, on %s', (store) => {
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

  const confirmations = (query: string, signal?: AbortSignal) =>
    parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>(`/v1/wallet/confirmations${query}`, { signal }).then((r) => r.confirmations);
  const hold = (taskId: string, minor = 12_00) => parties.agent.client.post<Intent>('/v1/intents', { ...cart(parties.merchant.record.id, minor), taskId });

  it('asked before the intent exists, answers with it once the relay holds it', async () => {
    const waiting = confirmations('?taskId=checkout-a&waitSeconds=10');
    await hold('checkout-other', 5_00); // another task's held intent does not end the wait
    const intent = await hold('checkout-a');
    const [request, ...more] = await waiting;
    expect(more).toEqual([]);
    expect(request).toMatchObject({ intentId: intent.id, claims: { amount: { minor: 12_00, currency: 'CNY' } } });
  });

  it('answers at once when one is held already, and without a task gives every held one', async () => {
    const first = await hold('checkout-b');
    expect((await confirmations('?taskId=checkout-b&waitSeconds=10')).map((c) => c.intentId)).toEqual([first.id]);
    const second = await hold('checkout-c');
    expect((await confirmations('')).map((c) => c.intentId)).toEqual([first.id, second.id]);
  });

  it('ends empty when nothing is held in time, and when the wallet stops asking', async () => {
    expect(await confirmations('?taskId=checkout-never&waitSeconds=1')).toEqual([]);
    const leaving = new AbortController();
    const asked = confirmations('?taskId=checkout-never&waitSeconds=10', leaving.signal);
    leaving.abort();
    await expect(asked).rejects.toThrow();
    // The relay still answers others: the abandoned wait holds nothing.
    const intent = await hold('checkout-d');
    expect((await confirmations('?taskId=checkout-d')).map((c) => c.intentId)).toEqual([intent.id]);
  });

  it('refuses a wait over 10 seconds or a task id over 64 characters with a 400 naming it', async () => {
    await expect(confirmations('?waitSeconds=11')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('waitSeconds') });
    await expect(confirmations(`?taskId=${'x'.repeat(65)}`)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('taskId') });
  });
});
