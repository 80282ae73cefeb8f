import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

const NO_BURST_RISK = { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 };

describe.each(STORES)('what a signer may claim, and mandate edits, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store, NO_BURST_RISK);
  });
  afterAll(() => dropSchema(relay));

  const drivingRule = {
    kind: 'rules',
    rules: [{ id: 'parking', currency: 'CNY', maxPerPaymentMinor: 50_00, categories: { allow: ['parking'] }, whileDriving: true, channels: ['device-scan'] }],
  } as const;
  const parking = (merchantId: string, extra: Record<string, unknown>) => cart(merchantId, 15_00, { category: 'parking', ...extra });

  it("an agent cannot borrow a cockpit's driving rule by claiming a scan while driving", async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, drivingRule);
    await expect(agent.client.post<Intent>('/v1/intents', parking(merchant.record.id, { channel: 'device-scan', context: { driving: true } })))
      .rejects.toMatchObject({ status: 422, code: 'invalid_request', message: expect.stringContaining('channel') });
    await expect(agent.client.post<Intent>('/v1/intents', parking(merchant.record.id, { channel: 'api', context: { driving: true } })))
      .rejects.toMatchObject({ status: 422, message: expect.stringContaining('context.driving') });
    const [{ n }] = (await relay.ctx.db.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM intents WHERE actor_id = $1', [agent.record.id])) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('earphones cannot claim to drive or to scan; a cockpit driving gets its rule', async () => {
    const { wallet, merchant } = await setUpParties(relay);
    const earphones = await addActor(relay, wallet.client, 'device', 'earphones');
    const car = await addActor(relay, wallet.client, 'device', 'cockpit');
    await setMandate(wallet, earphones.record.id, drivingRule);
    await setMandate(wallet, car.record.id, drivingRule);
    await expect(earphones.client.post('/v1/intents', parking(merchant.record.id, { channel: 'device-scan', context: { driving: true } })))
      .rejects.toMatchObject({ status: 422 });
    await expect(earphones.client.post('/v1/intents', parking(merchant.record.id, { channel: 'device-voice', context: { driving: true } })))
      .rejects.toMatchObject({ status: 422, message: expect.stringContaining('context.driving') });
    const paid = await car.client.post<Intent>('/v1/intents', parking(merchant.record.id, { channel: 'device-scan', context: { driving: true } }));
    expect(paid.decision.reasons[0]!.code).toBe('rule_matched');
  });

  it("re-signing a quota in another time zone keeps the month's spending", async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    const quota = (timeZone: string, issuedAt: string) => setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', timeZone, merchants: [merchant.record.id], issuedAt,
    });
    await quota('Asia/Shanghai', new Date(Date.now() - 2000).toISOString());
    const first = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 8_00));
    expect(first.status).toBe('approved');
    await quota('America/New_York', new Date(Date.now() - 1000).toISOString());
    const second = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 8_00));
    expect(second.status).toBe('pending_confirmation');
    expect(second.decision.reasons[0]!.code).toBe('quota_exhausted');
    // Back again: still the same month's 8.00, and the unused token's release credits the row it is counted in.
    await quota('Asia/Shanghai', new Date().toISOString());
    const actors = await wallet.client.get<{ actors: { id: string; mandate: { spent: { minor: number } } }[] }>('/v1/wallet/actors');
    expect(actors.actors.find((a) => a.id === agent.record.id)!.mandate.spent.minor).toBe(8_00);
    await wallet.client.post(`/v1/wallet/records/${first.id}/reverse`, {});
    const third = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00));
    expect(third.status).toBe('approved');
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });

  it.each([
    ['confirm each', { kind: 'confirm_each' }],
    ['the same quota in another currency', { kind: 'quota', budget: { minor: 10_00, currency: 'USD' }, period: 'month' }],
    ['the same quota per week', { kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'week' }],
    ['nothing (straight to the new time zone)', null],
  ])("a month's quota spending survives a detour through %s and a new time zone", async (_name, detour) => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    let issued = Date.now() - 10_000;
    const sign = (mandate: Record<string, unknown>) =>
      setMandate(wallet, agent.record.id, { ...(mandate.kind === 'quota' ? { merchants: [merchant.record.id] } : {}), ...mandate, issuedAt: new Date((issued += 1000)).toISOString() } as never);
    await sign({ kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai' });
    for (const _ of [1, 2]) {
      const paid = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
      expect(paid.status).toBe('approved');
      await merchant.client.post('/v1/merchant/charges', { token: paid.token!.secret, amount: paid.amount });
    }
    if (detour) await sign(detour);
    await sign({ kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', timeZone: 'Pacific/Kiritimati' });
    const third = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
    expect(third.status).toBe('pending_confirmation');
    expect(third.decision.reasons[0]!.code).toBe('quota_exhausted');
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });
});
