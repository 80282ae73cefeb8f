import type { Actor, CreditAccount, Intent, Merchant, ProtocolError, Usage, Wallet } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { cart, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * Token Pay's credits: a vendor sells credits for an agent's token and meters usage against them,
 * reserve then settle. A prepaid balance overdrawn by concurrent requests is the bug LLM billing
 * users report most: here 200 pairs race on one balance, on both stores, and it never goes below zero.
 */
describe.each(STORES)('Token Pay credits (%s)', (store) => {
  let relay: Relay;
  let wallet: Party<Wallet>;
  let vendor: Party<Merchant>;
  let agent: Party<Actor>;

  beforeAll(async () => {
    relay = await startTestRelay(store);
    ({ wallet, merchant: vendor, agent } = await setUpParties(relay));
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_000_00, currency: 'CNY' }, period: 'month', merchants: [vendor.record.id] });
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** The agent buys `minor` of credits: a payment its mandate decides, charged by the vendor as credits. */
  async function buy(minor: number): Promise<CreditAccount> {
    const intent = await agent.client.post<Intent>('/v1/intents', cart(vendor.record.id, minor));
    const { account } = await vendor.client.post<{ account: CreditAccount }>('/v1/vendor/credits', { token: intent.token!.secret, amount: intent.amount });
    return account;
  }
  const reserve = (accountId: string, usageId: string, minor: number) =>
    vendor.client.post<Usage>('/v1/vendor/usage', { accountId, usageId, amount: { minor, currency: 'CNY' } });
  const settle = (usageId: string, minor: number, units?: number) =>
    vendor.client.post<Usage>(`/v1/vendor/usage/${usageId}/settle`, { amount: { minor, currency: 'CNY' }, ...(units !== undefined ? { units } : {}) });
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: ProtocolError) => ({ code: error.code, status: error.status }));
  const account = (id: string) => vendor.client.get<CreditAccount>(`/v1/vendor/credit-accounts/${id}`);
  const ledgerOk = async () => expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);

  it('buying credits is a charge of the agent\'s token; the balance is the ledger\'s', async () => {
    const bought = await buy(50_00);
    expect(bought).toMatchObject({ id: expect.stringMatching(/^cra_/), vendorId: vendor.record.id, balance: { currency: 'CNY' } });
    expect(bought.available.minor).toBe(bought.balance.minor - bought.reserved.minor);
    const again = await buy(20_00);
    expect(again.id).toBe(bought.id);
    expect(again.balance.minor).toBe(bought.balance.minor + 20_00);
    const [{ ledger }] = await relay.ctx.db.query<{ ledger: number }>(
      'SELECT SUM(amount_minor)::int8 AS ledger FROM ledger_entries WHERE account LIKE $1', [`credits:${wallet.record.id}:${vendor.record.id}`],
    ) as [{ ledger: number }];
    expect(Number(ledger)).toBe(again.balance.minor);
    await ledgerOk();
  });

  it('reserves, settles the actual cost and gives the rest back; a usage id twice is one reserve', async () => {
    const { id } = await buy(10_00);
    // Other tests of this file may leave reserves open on the same account: compare with what it held.
    const { balance: { minor: before }, reserved: { minor: open } } = await account(id);
    expect(await reserve(id, `req-a-${store}`, 3_00)).toMatchObject({ status: 'reserved', account: { reserved: { minor: open + 3_00 } } });
    expect(await reserve(id, `req-a-${store}`, 3_00)).toMatchObject({ status: 'reserved', account: { reserved: { minor: open + 3_00 } } });
    expect(await settle(`req-a-${store}`, 1_25, 5000)).toMatchObject({ status: 'settled', settled: { minor: 1_25 }, units: 5000, account: { reserved: { minor: open } } });
    expect(await settle(`req-a-${store}`, 1_25)).toMatchObject({ status: 'settled' });
    expect((await account(id)).balance.minor).toBe(before - 1_25);
    await reserve(id, `req-b-${store}`, 2_00);
    expect(await vendor.client.post<Usage>(`/v1/vendor/usage/req-b-${store}/release`, {})).toMatchObject({ status: 'released', account: { reserved: { minor: open } } });
    expect((await account(id)).balance.minor).toBe(before - 1_25);
    await ledgerOk();
  });

  it('refuses, each with its own code and nothing written: more than the balance, settling above the reserve, a usage id reused with another amount, another vendor\'s account or usage, a lapsed reserve', async () => {
    const { id } = await buy(5_00);
    const { available: { minor: available }, reserved: { minor: open } } = await account(id);
    expect(await refusal(reserve(id, `big-${store}`, available + 1))).toEqual({ code: 'insufficient_credits', status: 402 });
    expect(await relay.ctx.db.query('SELECT 1 FROM credit_usage WHERE usage_id = $1', [`big-${store}`])).toEqual([]);
    await reserve(id, `r1-${store}`, 1_00);
    expect(await refusal(settle(`r1-${store}`, 1_01))).toEqual({ code: 'settle_exceeds_reserve', status: 422 });
    expect(await refusal(reserve(id, `r1-${store}`, 2_00))).toEqual({ code: 'usage_id_reused', status: 409 });
    await settle(`r1-${store}`, 50);
    expect(await refusal(settle(`r1-${store}`, 60))).toEqual({ code: 'usage_id_reused', status: 409 });
    const other = (await setUpParties(relay)).merchant;
    expect(await refusal(other.client.post('/v1/vendor/usage', { accountId: id, usageId: 'x', amount: { minor: 1, currency: 'CNY' } }))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(other.client.post(`/v1/vendor/usage/r1-${store}/settle`, { amount: { minor: 1, currency: 'CNY' } }))).toEqual({ code: 'not_found', status: 404 });
    for (const amount of [{ minor: -1, currency: 'CNY' }, { minor: 1.5, currency: 'CNY' }, { minor: 0, currency: 'CNY' }, { minor: 1, currency: 'cny' }]) {
      expect(await refusal(vendor.client.post('/v1/vendor/usage', { accountId: id, usageId: `bad-${store}`, amount }))).toEqual({ code: 'invalid_request', status: 400 });
    }
    await reserve(id, `old-${store}`, 1_00);
    await relay.ctx.db.query(`UPDATE credit_usage SET expires_at = now() - interval '1 second' WHERE usage_id = $1`, [`old-${store}`]);
    expect(await refusal(settle(`old-${store}`, 1_00))).toEqual({ code: 'reserve_lapsed', status: 409 });
    expect((await account(id)).reserved.minor).toBe(open);
    await ledgerOk();
  });

  it('200 reserve/settle pairs at once on one balance never take it below zero, and the ledger holds', async () => {
    const { id } = await buy(100_00);
    const { balance: { minor: start }, reserved: { minor: open } } = await account(id);
    const pairs = Array.from({ length: 200 }, async (_, i) => {
      const usageId = `race-${store}-${i}`;
      const reserved = await refusal(reserve(id, usageId, 1_00));
      if (reserved) return reserved.code;
      await settle(usageId, 60 + (i % 40));
      return 'settled';
    });
    const outcomes = await Promise.all(pairs);
    const settled = outcomes.filter((o) => o === 'settled').length;
    expect(outcomes.every((o) => o === 'settled' || o === 'insufficient_credits')).toBe(true);
    expect(settled).toBeGreaterThan(0);
    const after = await account(id);
    expect(after.reserved.minor).toBe(open);
    expect(after.balance.minor).toBeGreaterThanOrEqual(0);
    const [{ spent }] = await relay.ctx.db.query<{ spent: number }>(
      `SELECT COALESCE(SUM(settled_minor), 0)::int8 AS spent FROM credit_usage WHERE usage_id LIKE $1`, [`race-${store}-%`],
    ) as [{ spent: number }];
    expect(after.balance.minor).toBe(start - Number(spent));
    await ledgerOk();
  }, 120_000);

  it('one usage event sent ten times at once reserves once and debits once', async () => {
    const { id } = await buy(10_00);
    const before = await account(id);
    const usageId = `dup-${store}`;
    const reserves = await Promise.all(Array.from({ length: 10 }, () => reserve(id, usageId, 2_00)));
    expect(new Set(reserves.map((r) => r.status))).toEqual(new Set(['reserved']));
    expect((await account(id)).reserved.minor).toBe(before.reserved.minor + 2_00);
    const settles = await Promise.all(Array.from({ length: 10 }, () => settle(usageId, 1_50)));
    expect(settles.every((r) => r.status === 'settled' && r.settled?.minor === 1_50)).toBe(true);
    const after = await account(id);
    expect(after.balance.minor).toBe(before.balance.minor - 1_50);
    expect(after.reserved.minor).toBe(before.reserved.minor);
    await ledgerOk();
  });

  it('the usage statement adds up settled requests by model in a period', async () => {
    const { id } = await buy(10_00);
    const from = new Date(Date.now() - 1000).toISOString();
    for (const [i, model, minor, units] of [[1, 'tea-small', 10, 1000], [2, 'tea-small', 20, 2000], [3, 'tea-large', 50, 500]] as const) {
      await vendor.client.post('/v1/vendor/usage', { accountId: id, usageId: `stmt-${store}-${i}`, amount: { minor: 1_00, currency: 'CNY' }, model });
      await settle(`stmt-${store}-${i}`, minor, units);
    }
    await reserve(id, `stmt-${store}-open`, 1_00);
    const to = new Date(Date.now() + 1000).toISOString();
    const statement = await vendor.client.get<{ lines: unknown[] }>(`/v1/vendor/statement?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(statement.lines).toEqual(expect.arrayContaining([
      { model: 'tea-small', requests: 2, units: 3000, amount: { minor: 30, currency: 'CNY' } },
      { model: 'tea-large', requests: 1, units: 500, amount: { minor: 50, currency: 'CNY' } },
    ]));
    expect(await refusal(vendor.client.get(`/v1/vendor/statement?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`))).toEqual({ code: 'invalid_request', status: 400 });
  });

  it("the wallet sees its credits at each vendor and what they were spent on, by day and model", async () => {
    const { id } = await buy(5_00);
    await vendor.client.post('/v1/vendor/usage', { accountId: id, usageId: `wallet-${store}`, amount: { minor: 1_00, currency: 'CNY' }, model: 'tea-mini' });
    await settle(`wallet-${store}`, 42, 4200);
    const { credits } = await wallet.client.get<{ credits: { accountId: string; vendor: { name: string }; balance: { minor: number }; usage: { model: string | null; units: number }[] }[] }>('/v1/wallet/credits');
    const mine = credits.find((c) => c.accountId === id)!;
    expect(mine.vendor.name).toBe('Demo Shop');
    expect(mine.balance.minor).toBe((await account(id)).balance.minor);
    const [{ day }] = await relay.ctx.db.query<{ day: string }>(`SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM credit_usage WHERE usage_id = $1`, [`wallet-${store}`]) as [{ day: string }];
    expect(mine.usage).toEqual(expect.arrayContaining([expect.objectContaining({ model: 'tea-mini', units: 4200, day })]));
    // The agent that spends them reads the same (agentpay-mcp's get_credits).
    const seen = await agent.client.get<{ credits: { accountId: string; balance: { minor: number } }[] }>('/v1/agents/me/credits');
    expect(seen.credits.find((c) => c.accountId === id)?.balance.minor).toBe(mine.balance.minor);
  });
});
