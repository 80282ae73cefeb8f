import type { CreditAccount, CreditRefund, Intent, ProtocolError, TopUp, Usage, Vendor, WalletCredits } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayEvent } from '../src/events/hub.ts';
import { setAutoTopUp } from '../src/credits/auto-top-ups.ts';
import { openTopUp, runTopUp } from '../src/credits/top-ups.ts';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { addActor, answer, cart, setMandate, setUpParties, startTestRelay, STORES, until } from './harness.ts';

/**
 * Token Pay beyond reserve and settle: a vendor's prices, credits given back, and top-ups an agent
 * buys under its mandate, asked or automatic. Each test has its own wallet, vendor and agent, so
 * the file passes in any order.
 */
describe.each(STORES)('Token Pay vendors, refunds and top-ups (%s)', (store) => {
  let relay: Relay;
  const events: RelayEvent[] = [];
  const listening = new AbortController();

  beforeAll(async () => {
    relay = await startTestRelay(store);
    relay.ctx.events.subscribe((event) => events.push(event), listening.signal);
  });
  afterAll(async () => {
    listening.abort();
    await relay?.close();
  });

  const CNY = (minor: number) => ({ minor, currency: 'CNY' });
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: ProtocolError) => ({ code: error.code, status: error.status }));
  const ledgerOk = async () => expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);

  /** A wallet, a vendor and an agent with a monthly quota at that vendor. */
  async function world(budget = 1_000_00) {
    const { wallet, merchant: vendor, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: CNY(budget), period: 'month', merchants: [vendor.record.id] });
    const buy = async (minor: number) => {
      const intent = await agent.client.post<Intent>('/v1/intents', cart(vendor.record.id, minor));
      return (await vendor.client.post<{ account: CreditAccount; charge: { id: string } }>('/v1/vendor/credits', { token: intent.token!.secret, amount: intent.amount }));
    };
    const account = (id: string) => vendor.client.get<CreditAccount>(`/v1/vendor/credit-accounts/${id}`);
    const spend = async (accountId: string, usageId: string, minor: number) => {
      await vendor.client.post<Usage>('/v1/vendor/usage', { accountId, usageId, amount: CNY(minor) });
      return vendor.client.post<Usage>(`/v1/vendor/usage/${usageId}/settle`, { amount: CNY(minor) });
    };
    const credits = async (accountId: string) => (await wallet.client.get<WalletCredits>('/v1/wallet/credits')).credits.find((c) => c.accountId === accountId)!;
    return { wallet, vendor, agent, buy, account, spend, credits };
  }

  it('a vendor registers its prices; a settle may send only the units of a priced model, rounded up', async () => {
    const { vendor, buy } = await world();
    const prices = { prices: [{ model: 'tea-large', unit: 'tokens', perMillion: CNY(30_00) }, { model: 'tea-mini', unit: 'tokens', perMillion: CNY(1_50) }] };
    const registered = await vendor.client.put<Vendor>('/v1/vendor/prices', prices);
    expect(registered).toEqual({ id: vendor.record.id, name: 'Demo Shop', prices: [prices.prices[0], prices.prices[1]] });
    expect(await vendor.client.get<Vendor>(`/v1/vendors/${vendor.record.id}`)).toEqual(registered);

    const { account } = await buy(10_00);
    await vendor.client.post('/v1/vendor/usage', { accountId: account.id, usageId: 'priced-1', amount: CNY(1_00), model: 'tea-large' });
    // 12,345 tokens at ¥30.00 a million is 37.035 fen: 38 fen, never less.
    const settled = await vendor.client.post<Usage>('/v1/vendor/usage/priced-1/settle', { units: 12_345 });
    expect(settled).toMatchObject({ status: 'settled', settled: CNY(38), units: 12_345, model: 'tea-large' });

    await vendor.client.post('/v1/vendor/usage', { accountId: account.id, usageId: 'unpriced', amount: CNY(1_00), model: 'tea-secret' });
    expect(await refusal(vendor.client.post('/v1/vendor/usage/unpriced/settle', { units: 10 }))).toEqual({ code: 'model_not_priced', status: 422 });
    expect(await refusal(vendor.client.post('/v1/vendor/usage/unpriced/settle', {}))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await refusal(vendor.client.put('/v1/vendor/prices', { prices: [prices.prices[0], prices.prices[0]] }))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await refusal(vendor.client.put('/v1/vendor/prices', { prices: [{ ...prices.prices[0], perMillion: CNY(-1) }] }))).toEqual({ code: 'invalid_request', status: 400 });
    expect((await vendor.client.get<Vendor>(`/v1/vendors/${vendor.record.id}`)).prices).toHaveLength(2);
  });

  it('credits go back through the purchases that bought them, newest first; spent or reserved credits never', async () => {
    const { wallet, vendor, buy, account, spend } = await world();
    const first = await buy(10_00);
    const second = await buy(5_00);
    await spend(first.account.id, 'before-refund', 3_00);
    await vendor.client.post('/v1/vendor/usage', { accountId: first.account.id, usageId: 'still-running', amount: CNY(1_00) });

    expect(await refusal(vendor.client.post(`/v1/vendor/credit-accounts/${first.account.id}/refunds`, { amount: CNY(11_01) }))).toEqual({ code: 'credits_spent', status: 409 });
    const refund = await vendor.client.post<CreditRefund>(`/v1/vendor/credit-accounts/${first.account.id}/refunds`, { reason: 'closing the account' });
    expect(refund.amount).toEqual(CNY(11_00));
    expect(refund.refunds.map((r) => [r.chargeId, r.amount.minor])).toEqual([[second.charge.id, 5_00], [first.charge.id, 6_00]]);
    expect(await account(first.account.id)).toMatchObject({ balance: CNY(1_00), reserved: CNY(1_00), available: CNY(0) });
    expect(await refusal(vendor.client.post(`/v1/vendor/credit-accounts/${first.account.id}/refunds`, {}))).toEqual({ code: 'nothing_to_refund', status: 409 });

    // A refund of the purchase charge itself must take its credits back too, and there are none left to take.
    expect(await refusal(vendor.client.post(`/v1/merchant/charges/${first.charge.id}/refunds`, { amount: CNY(1_00) }))).toEqual({ code: 'credits_spent', status: 409 });
    const other = await setUpParties(relay);
    expect(await refusal(other.merchant.client.post(`/v1/vendor/credit-accounts/${first.account.id}/refunds`, {}))).toEqual({ code: 'not_found', status: 404 });
    const records = await wallet.client.get<{ records: { chargeId?: string | null; refundedMinor?: number }[] }>('/v1/wallet/records');
    expect(JSON.stringify(records)).toContain(second.charge.id);
    await ledgerOk();
  });

  it('a refund racing reserves never gives back credits a reserve took', async () => {
    const { vendor, buy, account } = await world();
    const { account: bought } = await buy(20_00);
    const outcomes = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => refusal(vendor.client.post('/v1/vendor/usage', { accountId: bought.id, usageId: `race-refund-${i}`, amount: CNY(1_00) }))),
      refusal(vendor.client.post(`/v1/vendor/credit-accounts/${bought.id}/refunds`, {})),
    ]);
    expect(outcomes.every((o) => o === null || o.code === 'insufficient_credits' || o.code === 'nothing_to_refund')).toBe(true);
    const after = await account(bought.id);
    const [{ reserved }] = await relay.ctx.db.query<{ reserved: string }>(
      `SELECT COALESCE(SUM(reserved_minor), 0)::int8 AS reserved FROM credit_usage WHERE account_id = $1 AND status = 'reserved'`, [bought.id],
    ) as [{ reserved: string }];
    expect(after.reserved.minor).toBe(Number(reserved));
    expect(after.balance.minor).toBeGreaterThanOrEqual(after.reserved.minor);
    await ledgerOk();
  });

  it('an agent tops up within its quota at once; beyond it the user is asked, and the approval buys the credits', async () => {
    const { wallet, vendor, agent, credits } = await world(30_00);
    const paid = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(20_00) });
    expect(paid).toMatchObject({ status: 'paid', automatic: false, agent: { id: agent.record.id, name: 'Shopping agent' }, amount: CNY(20_00) });
    // The vendor sees the account the relay opened, before the customer ever called it.
    const { accounts } = await vendor.client.get<{ accounts: CreditAccount[] }>('/v1/vendor/credit-accounts');
    expect(accounts).toEqual([expect.objectContaining({ id: paid.accountId, balance: CNY(20_00) })]);
    const stranger = await setUpParties(relay);
    expect((await stranger.merchant.client.get<{ accounts: CreditAccount[] }>('/v1/vendor/credit-accounts')).accounts).toEqual([]);
    expect((await credits(paid.accountId)).balance).toEqual(CNY(20_00));

    const held = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(20_00) });
    expect(held.status).toBe('held');
    expect(await refusal(agent.client.post('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(1_00) }))).toEqual({ code: 'top_up_pending', status: 409 });
    const intent = await agent.client.get<Intent>(`/v1/intents/${held.intentId}`);
    await answer(wallet, intent, 'approve');
    await until(async () => (await agent.client.get<TopUp>(`/v1/agents/me/top-ups/${held.id}`)).status === 'paid');
    const view = await credits(paid.accountId);
    expect(view.balance).toEqual(CNY(40_00));
    expect(view.topUps.map((t) => [t.status, t.agent.name, t.amount.minor])).toEqual([['paid', 'Shopping agent', 20_00], ['paid', 'Shopping agent', 20_00]]);
    await ledgerOk();
  });

  it('a paused agent\'s top-up fails with the reason; another agent\'s top-up is not its to read', async () => {
    const { wallet, vendor, agent } = await world();
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    const failed = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(5_00) });
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('paused') });
    const stranger = await setUpParties(relay);
    expect(await refusal(stranger.agent.client.get(`/v1/agents/me/top-ups/${failed.id}`))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(stranger.agent.client.post('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(-5) }))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await refusal(stranger.agent.client.post('/v1/agents/me/top-ups', { vendorId: 'mer_nobody', amount: CNY(5_00) }))).toEqual({ code: 'unknown_merchant', status: 422 });
  });

  it('a settle that takes the balance below the threshold buys one top-up, however many settles race it', async () => {
    const { wallet, vendor, agent, buy, account, credits } = await world();
    const { account: bought } = await buy(10_00);
    expect(await refusal(wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: agent.record.id, threshold: CNY(5_00), amount: { minor: 10_00, currency: 'USD' } } })))
      .toEqual({ code: 'invalid_request', status: 400 });
    const set = await wallet.client.put<{ autoTopUp: unknown }>(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: agent.record.id, threshold: CNY(5_00), amount: CNY(10_00) } });
    expect(set.autoTopUp).toMatchObject({ agent: { id: agent.record.id }, threshold: CNY(5_00), amount: CNY(10_00) });

    // Twenty requests of 40 fen each reserve at once; settled together they take ¥10.00 to ¥2.00, crossing ¥5.00 once.
    await Promise.all(Array.from({ length: 20 }, (_, i) => vendor.client.post('/v1/vendor/usage', { accountId: bought.id, usageId: `cross-${i}`, amount: CNY(40) })));
    await Promise.all(Array.from({ length: 20 }, (_, i) => vendor.client.post(`/v1/vendor/usage/cross-${i}/settle`, { amount: CNY(40) })));
    await until(async () => (await account(bought.id)).balance.minor === 12_00);
    const view = await credits(bought.id);
    expect(view.topUps.filter((t) => t.automatic)).toEqual([expect.objectContaining({ status: 'paid', automatic: true, amount: CNY(10_00), agent: { id: agent.record.id, name: 'Shopping agent' } })]);
    expect(view.autoTopUp).toMatchObject({ threshold: CNY(5_00), amount: CNY(10_00) });
    const low = events.filter((e) => e.type === 'credits.low' && e.accountId === bought.id);
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ walletId: wallet.record.id, threshold: CNY(5_00) });
    await relay.sweep();
    expect((await account(bought.id)).balance.minor).toBe(12_00);
    await ledgerOk();
  }, 60_000);

  it('an automatic top-up beyond the quota waits for the user; a denied one fails and the wallet hears of it', async () => {
    const { wallet, vendor, agent, buy, spend, account } = await world(12_00);
    const { account: bought } = await buy(10_00);
    await wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: agent.record.id, threshold: CNY(5_00), amount: CNY(8_00) } });
    await spend(bought.id, 'over-quota', 6_00);
    await until(() => events.some((e) => e.type === 'credits.top_up' && e.topUp.accountId === bought.id && e.topUp.status === 'held'));
    const held = events.find((e) => e.type === 'credits.top_up' && e.topUp.accountId === bought.id && e.topUp.status === 'held') as Extract<RelayEvent, { type: 'credits.top_up' }>;
    expect(events.some((e) => e.type === 'confirmation.requested' && e.request.intentId === held.topUp.intentId)).toBe(true);
    await answer(wallet, await agent.client.get<Intent>(`/v1/intents/${held.topUp.intentId}`), 'deny');
    await until(() => events.some((e) => e.type === 'credits.top_up' && e.topUp.id === held.topUp.id && e.topUp.status === 'failed'));
    expect((await account(bought.id)).balance.minor).toBe(4_00);

    // Back above the threshold (the agent buys), then below again: a new crossing, approved this time.
    const { account: again } = await buy(2_00);
    expect(again.balance.minor).toBe(6_00);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: CNY(100_00), period: 'month', merchants: [vendor.record.id] });
    await spend(bought.id, 'second-crossing', 2_00);
    await until(async () => (await account(bought.id)).balance.minor === 12_00);
    await ledgerOk();
  }, 60_000);

  it('a top-up woken ten times at once (its event, answers, the sweeper) buys once', async () => {
    const { agent, buy, account } = await world();
    const { account: bought } = await buy(1_00);
    const id = await relay.ctx.db.transaction((tx) => openTopUp(relay.ctx, tx, { accountId: bought.id, actorId: agent.record.id, minor: 3_00, automatic: true }));
    expect(id).toMatch(/^tup_/);
    expect(await relay.ctx.db.transaction((tx) => openTopUp(relay.ctx, tx, { accountId: bought.id, actorId: agent.record.id, minor: 3_00, automatic: true }))).toBeNull();
    await Promise.all([...Array.from({ length: 10 }, () => runTopUp(relay.ctx, id!)), relay.sweep()]);
    expect((await account(bought.id)).balance).toEqual(CNY(4_00));
    expect(await relay.ctx.db.query('SELECT charge_id FROM credit_top_ups WHERE id = $1 AND status = $2', [id, 'paid'])).toHaveLength(1);
    expect(await relay.ctx.db.query('SELECT 1 FROM credit_purchases WHERE top_up_id = $1', [id])).toHaveLength(1);
    await ledgerOk();
  });

  it('a held top-up approved while its agent long-polls: the credits are bought at the approval, and no token reaches the agent or an event', async () => {
    const { wallet, vendor, agent, account } = await world(5_00);
    const held = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.record.id, amount: CNY(20_00) });
    expect(held.status).toBe('held');
    const polling = agent.client.get<Intent>(`/v1/intents/${held.intentId}?waitSeconds=30`);
    const approved = await answer(wallet, await agent.client.get<Intent>(`/v1/intents/${held.intentId}`), 'approve');
    expect(approved.status).toBe('approved');
    // Bought in the approval's own transaction: paid the moment the approval answers.
    expect((await agent.client.get<TopUp>(`/v1/agents/me/top-ups/${held.id}`)).status).toBe('paid');
    expect((await account(held.accountId)).balance).toEqual(CNY(20_00));
    expect((await polling).token).toBeUndefined();
    expect((await agent.client.get<Intent>(`/v1/intents/${held.intentId}`)).token).toBeUndefined();
    const answered = events.filter((e) => e.type === 'intent.updated' && e.intent.id === held.intentId);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((e) => e.type === 'intent.updated' && e.intent.token === undefined)).toBe(true);
    await ledgerOk();
  });

  // PostgreSQL only: PGlite runs one transaction at a time, so a settle cannot wait inside another's.
  if (store === 'postgres') it('a setting turned off while a crossing settle waits for the account buys nothing', async () => {
    const { wallet, vendor, agent, buy, account, credits } = await world();
    const { account: bought } = await buy(10_00);
    await wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: agent.record.id, threshold: CNY(5_00), amount: CNY(10_00) } });
    await vendor.client.post('/v1/vendor/usage', { accountId: bought.id, usageId: 'waits-for-the-setting', amount: CNY(6_00) });
    let settling: Promise<Usage> | undefined;
    // The user turns it off; the settle that crosses the threshold arrives meanwhile and waits for the account's row.
    await relay.ctx.db.transaction(async (tx) => {
      await setAutoTopUp(tx, wallet.record.id, bought.id, null);
      settling = vendor.client.post<Usage>('/v1/vendor/usage/waits-for-the-setting/settle', { amount: CNY(6_00) });
      await until(async () => (await relay.ctx.db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE credit_accounts%'`,
      )).length > 0);
    });
    expect((await settling!).account.balance).toEqual(CNY(4_00));
    await relay.sweep();
    expect((await credits(bought.id)).topUps.filter((t) => t.automatic)).toEqual([]);
    expect((await account(bought.id)).balance).toEqual(CNY(4_00));
  });

  it('the auto top-up setting names an agent, never a device: its payments are spoken or scanned', async () => {
    const { wallet, buy } = await world();
    const { account: bought } = await buy(1_00);
    const device = await addActor(relay, wallet.client, 'device', 'glasses');
    expect(await refusal(wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: device.record.id, threshold: CNY(50), amount: CNY(1_00) } })))
      .toEqual({ code: 'unknown_agent', status: 422 });
  });

  it('usage ids that a URL would drop, and model names with bidirectional controls, are refused', async () => {
    const { vendor, buy } = await world();
    const { account: bought } = await buy(1_00);
    for (const usageId of ['.', '..', 'a/b', 'a b']) {
      expect(await refusal(vendor.client.post('/v1/vendor/usage', { accountId: bought.id, usageId, amount: CNY(1) }))).toEqual({ code: 'invalid_request', status: 400 });
    }
    expect(await refusal(vendor.client.post('/v1/vendor/usage', { accountId: bought.id, usageId: 'rlo', amount: CNY(1), model: 'gpt\u202Eexe' }))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await refusal(vendor.client.put('/v1/vendor/prices', { prices: [{ model: 'mini\u202E', unit: 'tokens', perMillion: CNY(1) }] }))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await relay.ctx.db.query('SELECT 1 FROM credit_usage WHERE account_id = $1', [bought.id])).toEqual([]);
  });

  it('credit refunds and refunds of the purchases themselves, all at once, never deadlock and never give back spent credits', async () => {
    const { vendor, buy, account, spend } = await world();
    const purchases = [await buy(5_00), await buy(5_00), await buy(5_00), await buy(5_00)];
    const accountId = purchases[0]!.account.id;
    await spend(accountId, 'spent-before-refunds', 2_00);
    // PostgreSQL counts the deadlocks it broke: locks taken in two orders would show here (PGlite has one writer).
    const deadlocks = async () => store === 'postgres'
      ? Number((await relay.ctx.db.query<{ n: string }>('SELECT deadlocks::int8 AS n FROM pg_stat_database WHERE datname = current_database()'))[0]!.n)
      : 0;
    const deadlocksBefore = await deadlocks();
    const outcomes = await Promise.all([
      ...Array.from({ length: 3 }, () => vendor.client.post<CreditRefund>(`/v1/vendor/credit-accounts/${accountId}/refunds`, { amount: CNY(3_00) })),
      ...purchases.flatMap((p) => Array.from({ length: 3 }, () => vendor.client.post(`/v1/merchant/charges/${p.charge.id}/refunds`, { amount: CNY(1_00) }))),
    ].map((p) => p.then(() => 'refunded', (error: ProtocolError) => `${error.status} ${error.code}`)));
    expect(outcomes.filter((o) => o !== 'refunded' && !/^409 (credits_spent|refund_exceeds_charge)$/.test(o))).toEqual([]);
    // pg_stat_database is updated when a backend reports its statistics: wait for it rather than read it early.
    if (store === 'postgres') await relay.ctx.db.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    expect(await deadlocks()).toBe(deadlocksBefore);
    const refunded = await relay.ctx.db.query<{ minor: string }>(
      'SELECT COALESCE(SUM(refunded_minor), 0)::int8 AS minor FROM charges WHERE id = ANY($1)', [purchases.map((p) => p.charge.id)],
    );
    expect((await account(accountId)).balance.minor).toBe(20_00 - 2_00 - Number(refunded[0]!.minor));
    await ledgerOk();
  }, 60_000);

  it('the auto top-up setting names an agent of this wallet, and can be turned off', async () => {
    const { wallet, agent, buy, credits } = await world();
    const { account: bought } = await buy(1_00);
    const stranger = await setUpParties(relay);
    const setting = (agentId: string) => ({ autoTopUp: { agentId, threshold: CNY(50), amount: CNY(1_00) } });
    expect(await refusal(wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, setting(stranger.agent.record.id)))).toEqual({ code: 'unknown_agent', status: 422 });
    expect(await refusal(stranger.wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, setting(stranger.agent.record.id)))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: { agentId: agent.record.id, threshold: CNY(0), amount: CNY(1_00) } }))).toEqual({ code: 'invalid_request', status: 400 });
    await wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, setting(agent.record.id));
    expect((await credits(bought.id)).autoTopUp).not.toBeNull();
    await wallet.client.put(`/v1/wallet/credits/${bought.id}/auto-top-up`, { autoTopUp: null });
    expect((await credits(bought.id)).autoTopUp).toBeNull();
  });
});
