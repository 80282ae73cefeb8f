import type { Intent, WalletRecord, WalletTask } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RelayEvent } from '../src/events/hub.ts';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** A clock the test moves forward, to run out holds and tokens without waiting. */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => (offset += ms) };
}

describe.each(STORES)('one story of every payment, on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  const clock = movableClock();
  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: clock.now });
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
  });
  afterAll(() => dropSchema(relay));

  let taskCount = 0;
  const held = (extra: Record<string, unknown> = {}) =>
    parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 58_00, { taskId: `task-${++taskCount}`, ...extra }));
  const record = (id: string) => parties.wallet.client.get<WalletRecord>(`/v1/wallet/records/${id}`);
  const task = async (taskId: string) =>
    (await parties.wallet.client.get<{ tasks: WalletTask[] }>('/v1/wallet/tasks')).tasks.find((t) => t.taskId === taskId)!;
  const listed = async (id: string) => (await parties.wallet.client.get<{ records: WalletRecord[] }>('/v1/wallet/records')).records.find((r) => r.id === id)!;
  const tokenOf = async (id: string) => (await parties.agent.client.get<Intent>(`/v1/intents/${id}`)).token!;
  const charge = async (id: string, minor = 58_00) =>
    parties.merchant.client.post<{ id: string }>('/v1/merchant/charges', { token: (await tokenOf(id)).secret, amount: { minor, currency: 'CNY' } });
  /** The story of one payment, checked to be the same in its record, in the list and in its task. */
  const storyEverywhere = async (intent: Intent) => {
    const one = await record(intent.id);
    expect((await listed(intent.id)).story).toEqual(one.story);
    const t = await task(intent.taskId!);
    expect(t.story).toEqual(one.story);
    expect(t.finished).toBe(['paid', 'refused', 'expired', 'cancelled', 'refunded', 'failed'].includes(one.story.state));
    return one.story;
  };
  /** Events the wallet is sent for one payment while `action` runs. */
  const eventsDuring = async (intentId: string, action: () => Promise<unknown>) => {
    const seen: RelayEvent[] = [];
    const stop = new AbortController();
    relay.ctx.events.subscribe((e) => {
      if (e.walletId === parties.wallet.record.id && ('intentId' in e ? e.intentId === intentId : 'intent' in e && e.intent.id === intentId)) seen.push(e);
    }, stop.signal);
    await action();
    stop.abort();
    return seen.map((e) => e.type);
  };

  it('approve → approved (not paid) → paid → partly and wholly refunded, the same in records and tasks, the wallet told at each step', async () => {
    const intent = await held();
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'awaiting_you', moneyMoved: false, answerBy: intent.confirmBy });
    await answer(parties.wallet, intent, 'approve');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'approved', reason: 'Approved; the shop has not charged it yet.', moneyMoved: false });
    expect(await eventsDuring(intent.id, () => charge(intent.id))).toContain('charge.succeeded');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'paid', reason: 'Paid 58.00 CNY to Demo Shop.', moneyMoved: true });
    const { charge: c } = await record(intent.id);
    await parties.merchant.client.post(`/v1/merchant/charges/${c!.id}/refunds`, { amount: { minor: 20_00, currency: 'CNY' } });
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'refunded', reason: 'Refunded 20.00 of 58.00 CNY; 38.00 CNY stays paid to Demo Shop.', moneyMoved: true });
    expect(await eventsDuring(intent.id, () => parties.wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, {}))).toContain('refund.succeeded');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'refunded', reason: 'Refunded 58.00 of 58.00 CNY; nothing stays paid.', moneyMoved: false });
  });

  it('reject → refused by you; the task has ended', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'deny');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'refused', reason: 'You rejected it; nothing was paid.' });
    expect((await task(intent.taskId!)).finished).toBe(true);
  });

  it('a held payment past its time is expired at once, before the sweeper runs, and the sweep tells the wallet', async () => {
    const intent = await held();
    // Heard from the clock's move on: the relay's own sweep (every 2 s) may be the one that tells.
    const told = await eventsDuring(intent.id, async () => {
      clock.advance(5 * 60_000 + 1000);
      expect(await storyEverywhere(intent)).toMatchObject({ state: 'expired', reason: 'Nobody answered within 5 minutes; nothing was paid.', answerBy: null });
      await relay.sweep();
    });
    expect(told).toContain('intent.updated');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'expired' });
  });

  it('an approved token nobody charged expires: "expired", nothing paid, and the sweep tells the wallet', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    const told = await eventsDuring(intent.id, async () => {
      clock.advance(15 * 60_000 + 1000);
      expect(await storyEverywhere(intent)).toMatchObject({ state: 'expired', reason: 'Approved, but the shop never charged it; nothing was paid.' });
      await relay.sweep();
    });
    expect(told).toContain('intent.ended');
    expect((await record(intent.id)).tokenStatus).toBe('expired');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'expired', moneyMoved: false });
  });

  it('cancel (the tab closed) → cancelled with the reason, held or approved', async () => {
    const first = await held();
    await parties.wallet.client.post(`/v1/wallet/intents/${first.id}/cancel`, { reason: 'the checkout tab was closed' });
    expect(await storyEverywhere(first)).toMatchObject({ state: 'cancelled', reason: 'Cancelled: the checkout tab was closed; nothing was paid.' });
    const second = await held();
    await answer(parties.wallet, second, 'approve');
    const events = await eventsDuring(second.id, () => parties.wallet.client.post(`/v1/wallet/intents/${second.id}/cancel`, { reason: 'the checkout tab was closed' }));
    expect(events).toContain('intent.ended');
    expect(await storyEverywhere(second)).toMatchObject({ state: 'cancelled', reason: 'Cancelled: the checkout tab was closed; nothing was paid.' });
  });

  it('reversing an approved, uncharged payment cancels it and tells the wallet', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    expect(await eventsDuring(intent.id, () => parties.wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, {}))).toContain('intent.ended');
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'cancelled', reason: 'Cancelled: you cancelled it before the shop charged it; nothing was paid.' });
  });

  it('declined by the mandate → refused with the mandate\'s reason', async () => {
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each', block: { merchants: [], categories: ['physical_goods'] } });
    const intent = await held();
    expect(intent.status).toBe('declined');
    expect(await storyEverywhere(intent)).toMatchObject({
      state: 'refused', reason: 'Declined by the mandate: the user blocked the category physical_goods; nothing was paid.',
    });
  });

  it('revoking the agent cancels its approved, uncharged payment, with the agent named', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    await parties.wallet.client.patch(`/v1/wallet/actors/${parties.agent.record.id}`, { status: 'revoked' });
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'cancelled', reason: 'Cancelled: Shopping agent was revoked by you before the shop charged it; nothing was paid.' });
  });

  it('a failure the agent reports after approval fails the task and the payment, unless the shop charged', async () => {
    const intent = await held();
    await answer(parties.wallet, intent, 'approve');
    await parties.agent.client.post('/v1/progress', { taskId: intent.taskId, stage: 'failed', message: 'the checkout page went away', intentId: intent.id });
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'failed', reason: expect.stringContaining('the checkout page went away; nothing was paid') });
    await charge(intent.id);
    expect(await storyEverywhere(intent)).toMatchObject({ state: 'paid' });
  });

  it('a task that never asked to pay is searching, found, then cancelled after 30 silent minutes', async () => {
    const taskId = `quiet-${++taskCount}`;
    await parties.agent.client.post('/v1/progress', { taskId, stage: 'searching' });
    expect(await task(taskId)).toMatchObject({ story: { state: 'searching' }, finished: false, payment: null });
    await parties.agent.client.post('/v1/progress', { taskId, stage: 'found', message: 'tea at Demo Shop' });
    expect(await task(taskId)).toMatchObject({ story: { state: 'found' }, finished: false });
    clock.advance(30 * 60_000);
    expect(await task(taskId)).toMatchObject({ story: { state: 'cancelled', reason: 'The agent stopped reporting for 30 minutes; nothing was paid.' }, finished: true });
  });

  it('answers 404 for a payment of another wallet, and for one that does not exist', async () => {
    const intent = await held();
    const other = await setUpParties(relay);
    await expect(other.wallet.client.get(`/v1/wallet/records/${intent.id}`)).rejects.toMatchObject({ status: 404 });
    await expect(record('intent_nope')).rejects.toMatchObject({ status: 404 });
  });
});
