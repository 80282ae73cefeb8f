import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import { merchantAndMandate } from '../src/mandates/store.ts';
import type { Relay } from '../src/relay.ts';
import { addActor, cart, dropSchema, POSTGRES_URL, setMandate, setUpParties, startTestRelay, STORES, until } from './harness.ts';

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

  it("spending in the hours between two zones' month starts still counts after the zone moves to the later one", async () => {
    let clock = new Date('2026-11-01T06:00:00Z').getTime();
    const own = await startTestRelay(store, NO_BURST_RISK, { now: () => new Date(clock) });
    try {
      const { wallet, agent, merchant } = await setUpParties(own);
      const quota = (timeZone: string) => setMandate(wallet, agent.record.id, {
        kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', timeZone, merchants: [merchant.record.id], issuedAt: new Date(clock).toISOString(),
      });
      // 06:00 UTC is already November in Kiritimati (UTC+14), still October in Pago Pago (UTC-11) until 11:00 UTC.
      await quota('Pacific/Kiritimati');
      const paid = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00));
      await merchant.client.post('/v1/merchant/charges', { token: paid.token!.secret, amount: paid.amount });
      clock = new Date('2026-11-01T12:00:00Z').getTime();
      await quota('Pacific/Pago_Pago');
      const more = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
      expect(more.decision.reasons[0]!.code).toBe('quota_exhausted');
    } finally {
      await dropSchema(own);
    }
  });

  if (store === 'postgres') {
    it('an intent that waited for the actor while its mandate was replaced is decided by the new mandate', async () => {
      const { wallet, agent, merchant } = await setUpParties(relay);
      await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
      const [old] = await relay.ctx.db.query<{ id: string }>('SELECT id FROM mandates WHERE actor_id = $1 AND superseded_at IS NULL', [agent.record.id]);
      const schema = relay.ctx.config.databaseSchema;
      const pg = (await import('pg')).default;
      // Another session plays the mandate edit: it holds the actor's row, replaces the mandate, commits.
      const edit = new pg.Client({ connectionString: POSTGRES_URL });
      await edit.connect();
      try {
        await edit.query('BEGIN');
        await edit.query(`SELECT 1 FROM ${schema}.actors WHERE id = $1 FOR NO KEY UPDATE`, [agent.record.id]);
        const deciding = relay.ctx.db.transaction((tx) => merchantAndMandate(tx, merchant.record.id, agent.record.id));
        // The intent's read is queued on the actor's row before the edit commits.
        await until(async () => (await edit.query('SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()')).rows.length > 0);
        await edit.query(`UPDATE ${schema}.mandates SET superseded_at = now() WHERE id = $1`, [old!.id]);
        await edit.query(
          `INSERT INTO ${schema}.mandates (id, actor_id, wallet_id, kind, document, jws, issued_at)
           SELECT 'mdt_replacement', actor_id, wallet_id, 'confirm_each', jsonb_set(document, '{kind}', '"confirm_each"'), jws, now() FROM ${schema}.mandates WHERE id = $1`,
          [old!.id],
        );
        await edit.query('COMMIT');
        expect((await deciding).mandate?.id).toBe('mdt_replacement');
      } finally {
        await edit.end();
      }
    });
  }
});
