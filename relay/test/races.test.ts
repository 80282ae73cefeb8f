import type { Charge, Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import mqtt from 'mqtt';
import { connectPassword, DeviceClient } from './device-client.ts';
import { addActor, answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

// Bursts are what these tests make, so the burst risk checks are off unless a test turns them on.
const NO_BURST_RISK = { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 };

/** Settles every promise and sorts the answers into what succeeded and the refusals' codes. */
async function settle<T>(promises: Promise<T>[]) {
  const outcomes = await Promise.allSettled(promises);
  return {
    ok: outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])),
    refused: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { code: string; message: string }] : [])),
  };
}

/** Resolves once `count` of the promises have settled, whatever their outcome. */
function afterSettled(promises: Promise<unknown>[], count: number): Promise<void> {
  let settled = 0;
  return new Promise((resolve) => {
    for (const p of promises) void p.then(() => ++settled === count && resolve(), () => ++settled === count && resolve());
  });
}

describe.each(STORES)('promises under races on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store, NO_BURST_RISK);
  });
  afterAll(() => dropSchema(relay));

  const budgeted = async () => {
    const parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 100_000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
    });
    return parties;
  };

  it('no more than three CVC guesses at one card are ever judged, however many arrive at once', async () => {
    const { agent, merchant } = await budgeted();
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 50_00));
    const card = intent.token!.card;
    const guesses = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
    const { ok, refused } = await settle(
      guesses.map((cvc) => merchant.client.post<Charge>('/v1/merchant/charges', { card: { ...card, cvc }, amount: { minor: 50_00, currency: 'CNY' } })),
    );
    const judgedWrong = refused.filter((r) => r.code === 'card_declined' && r.message.includes('cvc is wrong'));
    expect(judgedWrong.length).toBeLessThanOrEqual(3);
    const [row] = await relay.ctx.db.query<{ cvc_failures: number; status: string }>('SELECT cvc_failures, status FROM tokens WHERE id = $1', [intent.token!.id]);
    expect(row!.cvc_failures).toBeLessThanOrEqual(3);
    // The right CVC charges only if it was judged before the third wrong one revoked the token.
    if (ok.length === 1) expect(judgedWrong.length).toBeLessThan(3);
    else expect(row!.status).toBe('revoked');
    expect(ok.length).toBeLessThanOrEqual(1);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  }, 120_000);

  it('keeps no card number in clear, in the tokens or in stored answers, and still replays the card', async () => {
    const { agent, merchant } = await budgeted();
    const first = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 12_00), { idempotencyKey: 'card-at-rest' });
    const number = first.token!.card.number;
    const tokens = await relay.ctx.db.query('SELECT * FROM tokens WHERE id = $1', [first.token!.id]);
    const stored = await relay.ctx.db.query(`SELECT body FROM idempotency_keys WHERE key = 'card-at-rest'`);
    expect(JSON.stringify(tokens)).not.toContain(number);
    expect(JSON.stringify(stored)).not.toContain(number);
    expect(tokens[0]).toMatchObject({ card_last4: number.slice(-4) });
    const again = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 12_00), { idempotencyKey: 'card-at-rest' });
    expect(again.token!.card).toEqual(first.token!.card);
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { card: first.token!.card, amount: { minor: 12_00, currency: 'CNY' } });
    expect(charge.tokenId).toBe(first.token!.id);
  });

  it("answers another merchant's card and an unissued number alike, and throttles such guesses", async () => {
    const { agent, merchant } = await budgeted();
    const other = await setUpParties(relay);
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 9_00));
    const amount = { minor: 9_00, currency: 'CNY' };
    const refusal = (card: unknown) =>
      other.merchant.client.post('/v1/merchant/charges', { card, amount }).then(
        () => ({ status: 201, code: 'charged' }),
        (e: { status: number; code: string }) => ({ status: e.status, code: e.code }),
      );
    const issued = await refusal(intent.token!.card);
    const unissued = await refusal({ ...intent.token!.card, number: '9990000000000001' });
    expect(issued).toEqual(unissued);
    expect(issued).toMatchObject({ status: 402, code: 'card_declined' });
    // 20 a minute by default: the rest of this minute is refused without looking.
    const more = await settle(Array.from({ length: 25 }, (_, n) => other.merchant.client.post('/v1/merchant/charges', {
      card: { ...intent.token!.card, number: `99900000000${String(n).padStart(5, '0')}` }, amount,
    })));
    expect(more.refused.some((r) => r.code === 'rate_limited')).toBe(true);
    // The owner is not throttled by another merchant's guessing, and the token was never touched.
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { card: intent.token!.card, amount });
    expect(charge.amount).toEqual(amount);
  });

  const approvedOf = async (actorId: string) =>
    (await relay.ctx.db.query<{ n: number }>(`SELECT COUNT(*)::int8 AS n FROM intents WHERE actor_id = $1 AND status = 'approved'`, [actorId]))[0]!.n;

  it('after revoking an agent answers, none of its tokens can be charged and none of its intents is approved', async () => {
    const { wallet, agent, merchant } = await budgeted();
    const intents = Array.from({ length: 80 }, () => agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00)));
    await afterSettled(intents, 5);
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'revoked' });
    const activeTokens = () => relay.ctx.db.query<{ id: string }>(
      `SELECT t.id FROM tokens t JOIN intents i ON i.id = t.intent_id WHERE i.actor_id = $1 AND t.status = 'active'`, [agent.record.id],
    );
    expect(await activeTokens()).toEqual([]);
    const approvedAtRevoke = await approvedOf(agent.record.id);
    const { ok } = await settle(intents);
    expect(await approvedOf(agent.record.id)).toBe(approvedAtRevoke);
    const approved = ok.filter((i) => i.status === 'approved');
    const charges = await settle(approved.map((i) => merchant.client.post('/v1/merchant/charges', { token: i.token!.secret, amount: i.amount })));
    expect(charges.ok).toEqual([]);
    expect(charges.refused.every((r) => r.code === 'token_revoked')).toBe(true);
    expect(await activeTokens()).toEqual([]);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  }, 120_000);

  it('after pausing an agent answers, none of its intents is approved until it is resumed', async () => {
    const { wallet, agent, merchant } = await budgeted();
    const intents = Array.from({ length: 60 }, () => agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00)));
    await afterSettled(intents, 5);
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    const approvedAtPause = await approvedOf(agent.record.id);
    await settle(intents);
    expect(await approvedOf(agent.record.id)).toBe(approvedAtPause);
    const after = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00));
    expect(after.status).toBe('declined');
  }, 120_000);

  it('a held intent of a revoked device is declined with the revoke, and cannot be approved afterwards', async () => {
    const { wallet, merchant } = await budgeted();
    const device = await addActor(relay, wallet.client, 'device', 'cockpit');
    const held = await device.client.post<Intent>('/v1/intents', cart(merchant.record.id, 30_00, { channel: 'device-voice' }));
    expect(held.status).toBe('pending_confirmation');
    await wallet.client.patch(`/v1/wallet/actors/${device.record.id}`, { status: 'revoked' });
    const list = await wallet.client.get<{ confirmations: { intentId: string }[] }>('/v1/wallet/confirmations');
    expect(list.confirmations.map((c) => c.intentId)).not.toContain(held.id);
    await expect(answer(wallet, held, 'approve')).rejects.toMatchObject({ code: 'intent_not_pending' });
    const [row] = await relay.ctx.db.query<{ status: string }>('SELECT status FROM intents WHERE id = $1', [held.id]);
    expect(row!.status).toBe('declined');
  });

  it("revoking a device ends its session on the embedded broker, and it cannot log in again", async () => {
    const { wallet } = await setUpParties(relay);
    const device = await addActor(relay, wallet.client, 'device', 'cockpit');
    const session = await DeviceClient.connect({ url: relay.mqttUrl, signer: device.signer, protocolVersion: 4 });
    const closed = new Promise<void>((resolve) => session.client.once('close', () => resolve()));
    session.client.options.reconnectPeriod = 0;
    await wallet.client.patch(`/v1/wallet/actors/${device.record.id}`, { status: 'revoked' });
    await closed;
    const again = mqtt.connectAsync(relay.mqttUrl, {
      protocolVersion: 4, username: device.record.id, password: await connectPassword(device.signer), reconnectPeriod: 0, connectTimeout: 5000,
    });
    await expect(again).rejects.toMatchObject({ code: 4 });
    await session.client.endAsync(true);
  });

  it('the wallet cannot approve a held intent of a paused agent', async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 30_00));
    expect(held.status).toBe('pending_confirmation');
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    await expect(answer(wallet, held, 'approve')).rejects.toMatchObject({ code: 'agent_paused' });
    // Denying is always allowed.
    await expect(answer(wallet, held, 'deny')).resolves.toMatchObject({ status: 'denied' });
  });

  it('a reverse that loses the race to a charge refunds it, and a charge that loses to a reverse is told the token was revoked', async () => {
    const { wallet, agent, merchant } = await budgeted();
    for (let round = 0; round < 10; round++) {
      const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
      const [charge, reverse] = await Promise.allSettled([
        merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: intent.amount }),
        wallet.client.post<{ reversed: string }>(`/v1/wallet/records/${intent.id}/reverse`, {}),
      ]);
      expect(reverse.status).toBe('fulfilled');
      const reversed = (reverse as PromiseFulfilledResult<{ reversed: string }>).value.reversed;
      if (charge.status === 'fulfilled') expect(reversed).toBe('refunded');
      else {
        expect(reversed).toBe('token_revoked');
        expect(charge.reason).toMatchObject({ code: 'token_revoked' });
      }
    }
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  }, 60_000);
});

describe.each(STORES)('rate checks under a burst on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store, { riskMaxIntentsPerMinute: 30 });
  });
  afterAll(() => dropSchema(relay));

  it('300 simultaneous intents approve no more than the per-minute limit', async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 100_000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id],
    });
    const results = await Promise.all(Array.from({ length: 300 }, () => agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00))));
    expect(results.filter((i) => i.status === 'approved').length).toBeLessThanOrEqual(30);
    expect(results.filter((i) => i.decision.risk.some((r) => r.code === 'rate_spike')).length).toBeGreaterThanOrEqual(270);
  }, 120_000);
});
