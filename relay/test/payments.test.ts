import type { Charge, Intent } from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

describe.each(STORES)('payments on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;

  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  // Each test its own wallet, agent and merchant, so none leans on what another spent.
  beforeEach(async () => {
    parties = await setUpParties(relay);
  });
  afterEach(async () => {
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });
  afterAll(() => dropSchema(relay));

  /** A monthly quota of `minor` at the parties' merchant. */
  const quota = (minor: number) => setMandate(parties.wallet, parties.agent.record.id, {
    kind: 'quota', budget: { minor, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
  });

  it('approves within a quota, issues a token, and the merchant charges it once', async () => {
    const { wallet, agent, merchant } = parties;
    await quota(100_00);
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 35_00, { taskId: 'tsk_tea' }));
    expect(intent.status).toBe('approved');
    expect(intent.decision).toMatchObject({ outcome: 'approve', reasons: [{ code: 'quota' }] });
    expect(intent.token).toMatchObject({ merchantId: merchant.record.id, currency: 'CNY', maxMinor: 35_00 });

    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 35_00, currency: 'CNY' } });
    expect(charge).toMatchObject({ intentId: intent.id, status: 'succeeded', amount: { minor: 35_00 } });

    const { records } = await wallet.client.get<{ records: { id: string; boughtBy: { name: string }; charge: unknown }[] }>('/v1/wallet/records');
    const record = records.find((r) => r.id === intent.id)!;
    expect(record.boughtBy.name).toBe('Shopping agent');
    expect(record.charge).toMatchObject({ id: charge.id, amount: { minor: 35_00 } });

    const { actors } = await wallet.client.get<{ actors: { id: string; mandate: { spent: { minor: number } } }[] }>('/v1/wallet/actors');
    expect(actors.find((a) => a.id === agent.record.id)!.mandate.spent.minor).toBe(35_00);
  });

  it('holds a payment beyond the quota, and the wallet approves it with a signature', async () => {
    const { wallet, agent, merchant } = parties;
    await quota(100_00);
    expect((await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 35_00))).status).toBe('approved');
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 90_00));
    expect(held.status).toBe('pending_confirmation');
    expect(held.decision.reasons[0]!.code).toBe('quota_exhausted');
    expect(held.token).toBeUndefined();

    const { confirmations } = await wallet.client.get<{ confirmations: { intentId: string }[] }>('/v1/wallet/confirmations');
    expect(confirmations.map((c) => c.intentId)).toContain(held.id);

    const approved = await answer(wallet, held, 'approve');
    expect(approved.status).toBe('approved');
    const seen = await agent.client.get<Intent>(`/v1/intents/${held.id}`);
    expect(seen.token?.maxMinor).toBe(90_00);
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: seen.token!.secret, amount: { minor: 80_00, currency: 'CNY' } });
    expect(charge.amount.minor).toBe(80_00);
  });

  it('refunds partially and fully, and never beyond the charge', async () => {
    const { wallet, agent, merchant } = parties;
    await quota(100_00);
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00));
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 10_00, currency: 'CNY' } });
    await merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 4_00, currency: 'CNY' } });
    await expect(
      merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 7_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'refund_exceeds_charge' });
    const reversed = await wallet.client.post<{ reversed: string }>(`/v1/wallet/records/${intent.id}/reverse`, {});
    expect(reversed.reversed).toBe('refunded');
    const after = await merchant.client.get<Charge>(`/v1/merchant/charges/${charge.id}`);
    expect(after).toMatchObject({ refundedMinor: 10_00, status: 'refunded' });
  });

  it('keeps a ledger where every journal balances', async () => {
    const { agent, merchant } = parties;
    await quota(100_00);
    const before = await checkLedger(relay.ctx.db);
    // A hold, a charge of part of it with the rest released, and a refund: each a journal of its own.
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 20_00));
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 15_00, currency: 'CNY' } });
    await merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 5_00, currency: 'CNY' } });
    await merchant.client.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 10_00, currency: 'CNY' } });
    const report = await checkLedger(relay.ctx.db);
    expect(report.problems).toEqual([]);
    expect(report.journals - before.journals).toBeGreaterThanOrEqual(4);
  });
});
