import { type Intent, RelayHttpClient } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import { type Relay, startRelay } from '../src/relay.ts';
import { answer, cart, dropSchema, freshSchema, setMandate, setUpParties, startTestRelay, STORES, testConfig } from './harness.ts';

/** A clock the test moves forward, to expire holds and tokens without waiting. */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => (offset += ms) };
}

describe.each(STORES)('intent lifecycle on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  const clock = movableClock();

  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: clock.now });
  });
  // Each test its own wallet, agent and merchant: a mandate, a pause or a revoke never reaches another test.
  beforeEach(async () => {
    parties = await setUpParties(relay);
  });
  afterAll(() => dropSchema(relay));

  /** The agent under a rule up to 200.00 CNY for physical goods, at a merchant already paid once (so no new_merchant hold). */
  const underSmallRuleAtKnownMerchant = async () => {
    const { wallet, agent, merchant } = parties;
    await setMandate(wallet, agent.record.id, {
      kind: 'rules', rules: [{ id: 'small', currency: 'CNY', maxPerPaymentMinor: 200_00, categories: { allow: ['physical_goods'] } }],
    });
    const first = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 150_00));
    expect(first.decision.risk.map((r) => r.code)).toEqual(['new_merchant']);
    await answer(wallet, first, 'approve');
  };

  it('holds an unknown merchant for confirmation even within a rule, with the risk note', async () => {
    const { wallet, agent, merchant } = parties;
    await setMandate(wallet, agent.record.id, {
      kind: 'rules', rules: [{ id: 'small', currency: 'CNY', maxPerPaymentMinor: 200_00, categories: { allow: ['physical_goods'] } }],
    });
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 150_00));
    expect(intent.status).toBe('pending_confirmation');
    expect(intent.decision.ruleId).toBe('small');
    expect(intent.decision.risk.map((r) => r.code)).toEqual(['new_merchant']);
    await answer(wallet, intent, 'approve');
    // Once paid, the merchant is known, and the rule approves on its own.
    const next = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 120_00));
    expect(next).toMatchObject({ status: 'approved', decision: { outcome: 'approve', ruleId: 'small', risk: [] } });
    const above = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 250_00));
    expect(above).toMatchObject({ status: 'pending_confirmation', decision: { reasons: [{ code: 'no_rule_matched' }] } });
  });

  it('pushes confirmation requests to the wallet as server-sent events', async () => {
    const { wallet, agent, merchant } = parties;
    await underSmallRuleAtKnownMerchant();
    const stop = new AbortController();
    const response = await wallet.client.send('GET', '/v1/wallet/events', undefined, { signal: stop.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 300_00));
    let text = '';
    while (!text.includes('event: confirmation.requested')) text += new TextDecoder().decode((await reader.read()).value);
    stop.abort();
    const data = JSON.parse(text.split('event: confirmation.requested\ndata: ')[1]!.split('\n')[0]!);
    expect(data.request).toMatchObject({ intentId: held.id, actorName: 'Shopping agent', merchant: { name: 'Demo Shop', origins: ['http://127.0.0.1:8788'] }, claims: { amount: { minor: 300_00 } } });
  });

  it('a held intent expires, and expiry is final', async () => {
    const { wallet, agent, merchant } = parties;
    await underSmallRuleAtKnownMerchant();
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 400_00));
    clock.advance((relay.ctx.config.confirmTtlSeconds + 1) * 1000);
    await expect(answer(wallet, held, 'approve')).rejects.toMatchObject({ code: 'confirmation_expired' });
    await relay.sweep();
    expect((await agent.client.get<Intent>(`/v1/intents/${held.id}`)).status).toBe('expired');
    await expect(answer(wallet, held, 'approve')).rejects.toMatchObject({ code: 'intent_not_pending' });
  });

  it('an unused token expires, its hold is released, and a late charge is refused', async () => {
    const { agent, merchant } = parties;
    await underSmallRuleAtKnownMerchant();
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 100_00));
    expect(intent.status).toBe('approved');
    clock.advance((relay.ctx.config.tokenTtlSeconds + 1) * 1000);
    await expect(
      merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 100_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'token_expired' });
    await relay.sweep();
    const [token] = await relay.ctx.db.query<{ status: string }>('SELECT status FROM tokens WHERE id = $1', [intent.token!.id]);
    expect(token!.status).toBe('expired');
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });

  it('a paused agent is declined at once, and a revoked one cannot even ask', async () => {
    const { wallet, agent, merchant } = parties;
    await underSmallRuleAtKnownMerchant();
    const live = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 50_00));
    expect(live.status).toBe('approved');
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    const paused = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 50_00));
    expect(paused).toMatchObject({ status: 'declined', decision: { reasons: [{ code: 'agent_paused' }] } });
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'active' });
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'revoked' });
    await expect(agent.client.post('/v1/intents', cart(merchant.record.id, 50_00))).rejects.toMatchObject({ code: 'agent_revoked', status: 403 });
    // Its unused token died with it.
    await expect(
      merchant.client.post('/v1/merchant/charges', { token: live.token!.secret, amount: { minor: 50_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'token_revoked' });
    await expect(wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'active' })).rejects.toMatchObject({ code: 'agent_revoked' });
  });

  it('keeps a task timeline, spending by category and month, and an audit trail', async () => {
    const { wallet, merchant } = parties;
    await underSmallRuleAtKnownMerchant();
    const { addActor } = await import('./harness.ts');
    const agent = await addActor(relay, wallet.client);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month' });
    for (const stage of ['searching', 'found', 'preparing_to_pay']) {
      await agent.client.post('/v1/progress', { taskId: 'tsk_gift', stage, message: `step ${stage}` });
    }
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 88_00, { taskId: 'tsk_gift', category: 'groceries' }));
    await merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 88_00, currency: 'CNY' } });
    const timeline = await wallet.client.get<{ steps: { stage: string }[] }>('/v1/wallet/tasks/tsk_gift');
    expect(timeline.steps.map((s) => s.stage)).toEqual(['searching', 'found', 'preparing_to_pay', 'paid']);
    const byCategory = await wallet.client.get<{ rows: { key: string; minor: number }[] }>('/v1/wallet/spending?by=category');
    expect(byCategory.rows.find((r) => r.key === 'groceries')?.minor).toBe(88_00);
    const byMonth = await wallet.client.get<{ rows: { key: string; minor: number }[] }>('/v1/wallet/spending?by=month');
    expect(byMonth.rows.length).toBeGreaterThan(0);
    const audit = await relay.ctx.db.query<{ action: string; details: { reasons?: { code: string }[] } }>(
      'SELECT action, details FROM audit_log WHERE subject = $1 ORDER BY id',
      [intent.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['intent.approved', 'charge.succeeded']);
    expect(audit[0]!.details.reasons![0]!.code).toBe('quota');
  });

  it('serves its OpenAPI document and answers unknown routes clearly', async () => {
    const anon = new RelayHttpClient(relay.httpUrl, undefined);
    const doc = await anon.get<{ paths: Record<string, unknown> }>('/v1/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/intents', '/v1/merchant/charges', '/v1/wallet/events']));
    await expect(anon.get('/v1/nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a restart keeps every record', () => {
  it.each(STORES)('on %s', async (store) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-restart-'));
    const schema = freshSchema();
    const config = { ...testConfig(store), inMemory: false, dataDir, ...(store === 'postgres' ? { databaseSchema: schema } : {}) };
    let relay = await startRelay(config);
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 30_00));
    await relay.close();

    relay = await startRelay(config);
    try {
      const moved = (c: RelayHttpClient) => new RelayHttpClient(relay.httpUrl, c.signer);
      // The same token secret still charges: the vault key was kept too.
      const charge = await moved(merchant.client).post<{ intentId: string }>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 30_00, currency: 'CNY' } });
      expect(charge.intentId).toBe(intent.id);
      const { records } = await moved(wallet.client).get<{ records: { id: string }[] }>('/v1/wallet/records');
      expect(records.map((r) => r.id)).toContain(intent.id);
      const { actors } = await moved(wallet.client).get<{ actors: { mandate: { spent: { minor: number } } }[] }>('/v1/wallet/actors');
      expect(actors[0]!.mandate.spent.minor).toBe(30_00);
    } finally {
      await dropSchema(relay);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the embedded database', () => {
  it('refuses a second relay on the same data folder, and is free again after close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
    const config = { ...testConfig('pglite'), inMemory: false, dataDir };
    const first = await startRelay(config);
    try {
      await expect(startRelay(config)).rejects.toThrow(/another relay \(pid \d+\) is using the data folder/);
    } finally {
      await first.close();
    }
    const again = await startRelay(config);
    await again.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
