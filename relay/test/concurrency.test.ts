import type { Intent } from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

// Bursts are what these tests make, so the burst risk checks are turned off here;
// risk.test.ts covers them.
const NO_BURST_RISK = { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 };

describe.each(STORES)('concurrency on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;

  beforeAll(async () => {
    relay = await startTestRelay(store, NO_BURST_RISK);
  });
  // Each test its own wallet, agent and merchant: a quota spent or a mandate set by one test never reaches another.
  beforeEach(async () => {
    parties = await setUpParties(relay);
  });
  // The ledger check passes after each burst, not only after the last.
  afterEach(async () => {
    expect(await checkLedger(relay.ctx.db)).toMatchObject({ ok: true, problems: [] });
  });
  afterAll(() => dropSchema(relay));

  /** A monthly quota big enough for every payment a test makes. */
  const ampleQuota = () => setMandate(parties.wallet, parties.agent.record.id, {
    kind: 'quota', budget: { minor: 100_000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
  });

  it('200 concurrent intents against one quota approve exactly as many as fit', async () => {
    const { wallet, agent, merchant } = parties;
    // 1,000.00 CNY budget, 7.00 each: 142 fit (994.00), the 143rd would overspend.
    await setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id],
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 7_00))),
    );
    const approved = results.filter((i) => i.status === 'approved');
    const held = results.filter((i) => i.status === 'pending_confirmation');
    expect(approved).toHaveLength(142);
    expect(held).toHaveLength(58);
    expect(held.every((i) => i.decision.reasons[0]!.code === 'quota_exhausted')).toBe(true);
    expect(new Set(approved.map((i) => i.token!.id)).size).toBe(142);

    const [usage] = await relay.ctx.db.query<{ spent_minor: number; budget_minor: number }>(
      'SELECT spent_minor, budget_minor FROM quota_usage WHERE actor_id = $1',
      [agent.record.id],
    );
    expect(usage).toEqual({ spent_minor: 994_00, budget_minor: 1000_00 });
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });

  it('50 concurrent charges of one token charge it exactly once', async () => {
    const { agent, merchant } = parties;
    await ampleQuota();
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 20_00));
    expect(intent.status).toBe('approved');
    // Distinct idempotency keys: these are 50 different charge attempts, not retries of one.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 20_00, currency: 'CNY' } }),
      ),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(new Set(refused.map((r) => (r.reason as { code: string }).code))).toEqual(new Set(['token_already_used']));
    const [count] = await relay.ctx.db.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM charges WHERE intent_id = $1', [intent.id]);
    expect(count!.n).toBe(1);
  });

  it('50 concurrent refunds never refund more than was charged', async () => {
    const { agent, merchant } = parties;
    await ampleQuota();
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00));
    const charge = await merchant.client.post<{ id: string }>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 10_00, currency: 'CNY' } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 3_00, currency: 'CNY' } }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const after = await merchant.client.get<{ refundedMinor: number }>(`/v1/merchant/charges/${charge.id}`);
    expect(after.refundedMinor).toBe(9_00);
  });

  it('one idempotency key sent 20 times at once creates one intent', async () => {
    const { agent, merchant } = parties;
    await ampleQuota();
    const body = cart(merchant.record.id, 5_00);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => agent.client.post<Intent>('/v1/intents', body, { idempotencyKey: 'same-key-burst' })),
    );
    expect(new Set(results.map((i) => i.id)).size).toBe(1);
    expect(new Set(results.map((i) => i.token!.secret)).size).toBe(1);
    const [count] = await relay.ctx.db.query<{ n: number }>(
      `SELECT COUNT(*)::int8 AS n FROM intents WHERE actor_id = $1 AND amount_minor = 500`,
      [agent.record.id],
    );
    expect(count!.n).toBe(1);
  });
});
