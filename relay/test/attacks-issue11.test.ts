import {
  type Actor, type AgentInvite, type Intent, type Merchant, type ProtocolError, RelayHttpClient, generateSigningKey,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serveLocalAdmin } from '../src/admin/local-admin.ts';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * An outsider's attempts at what issue 11 added (cancel, records, tasks, analysis, agent codes, unpair,
 * the admin route, the merchant's default category). Each hole found has its test here; so does each
 * attempt that held, so that it keeps holding.
 */
describe.each(STORES)('attacks on the issue 11 routes, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store, { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 });
  }, 180_000);
  afterAll(() => dropSchema(relay));

  const anonymous = () => new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
  const attempt = (p: Promise<unknown>) =>
    p.then(() => ({ ok: true as const }), (e: ProtocolError) => ({ ok: false as const, status: e.status, code: e.code, message: e.message }));

  /** A merchant that registered what it sells by default. */
  async function merchantSelling(category: string, name = 'Lucky Games'): Promise<Merchant> {
    const key = await generateSigningKey();
    return anonymous().as({ id: 'self', privateKey: key.privateKey }).post<Merchant>('/v1/merchants', { name, publicKey: key.publicJwk, category });
  }

  describe('a cancel reason is display text', () => {
    it.each([
      ['a NUL, which the store cannot hold', 'tab closed\u0000'],
      ['a lone surrogate, which is not text', 'tab closed \ud800'],
      ['a bidi override, which makes the story read differently', 'tab closed \u202Edias gnihton'],
    ])('refuses %s with a 400 naming reason, and the payment still waits', async (_what, reason) => {
      const parties = await setUpParties(relay);
      await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
      const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00));
      const refused = await attempt(parties.wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, { reason }));
      expect(refused).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('reason') });
      expect((await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`)).status).toBe('pending_confirmation');
    });
  });

  it('folds a line break in a cancel reason into one line, so it cannot forge a second line in the story', async () => {
    const parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
    const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00));
    await parties.wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'tab closed\nPAID 9,999.00 CNY' });
    const record = JSON.stringify(await parties.wallet.client.get(`/v1/wallet/records/${intent.id}`));
    expect(record).toContain('tab closed PAID');
    expect(record).not.toContain('\\n');
  });

  describe("a stated category does not take a payment past a mandate that the merchant's registered category falls under", () => {
    /** The agent has paid there once with approval, so the risk checks hold nothing for a new shop. */
    async function agentKnownAt(merchant: Merchant) {
      const parties = await setUpParties(relay);
      await answer(parties.wallet, await parties.agent.client.post<Intent>('/v1/intents', cart(merchant.id, 1_00)), 'approve');
      return parties;
    }

    it('a blocked category is declined when the agent names another one', async () => {
      const casino = await merchantSelling('entertainment');
      const parties = await agentKnownAt(casino);
      await setMandate(parties.wallet, parties.agent.record.id, {
        kind: 'rules', block: { merchants: [], categories: ['entertainment'] }, rules: [{ id: 'r1', currency: 'CNY', maxPerPaymentMinor: 100_00 }],
      });
      const { category: _none, ...unstated } = cart(casino.id, 5_00);
      expect((await parties.agent.client.post<Intent>('/v1/intents', unstated)).status).toBe('declined');
      const dodging = await parties.agent.client.post<Intent>('/v1/intents', cart(casino.id, 5_00, { category: 'groceries' }));
      expect(dodging.status).toBe('declined');
      expect(dodging.decision.reasons[0]).toMatchObject({ code: 'category_blocked', message: expect.stringContaining("merchant's registered category") });
    });

    it("a rule's allow and deny lists and a budget's categories judge the registered category too", async () => {
      const casino = await merchantSelling('entertainment');
      const parties = await agentKnownAt(casino);
      await setMandate(parties.wallet, parties.agent.record.id, {
        kind: 'rules', rules: [{ id: 'food-only', currency: 'CNY', maxPerPaymentMinor: 100_00, categories: { allow: ['groceries'] } }],
      });
      const viaAllow = await parties.agent.client.post<Intent>('/v1/intents', cart(casino.id, 5_00, { category: 'groceries' }));
      expect([viaAllow.status, viaAllow.decision.reasons[0]?.code]).toEqual(['pending_confirmation', 'no_rule_matched']);
      await setMandate(parties.wallet, parties.agent.record.id, {
        kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai', categories: ['groceries'],
      });
      const viaBudget = await parties.agent.client.post<Intent>('/v1/intents', cart(casino.id, 5_00, { category: 'groceries' }));
      expect([viaBudget.status, viaBudget.decision.reasons[0]?.code]).toEqual(['pending_confirmation', 'quota_category']);
    });

    it('still approves a stated category when the registered one is allowed as well (a tea shop selling food)', async () => {
      const teaShop = await merchantSelling('physical_goods', 'Demo Tea Shop');
      const parties = await agentKnownAt(teaShop);
      await setMandate(parties.wallet, parties.agent.record.id, {
        kind: 'rules', block: { merchants: [], categories: ['entertainment'] }, rules: [{ id: 'r1', currency: 'CNY', maxPerPaymentMinor: 100_00 }],
      });
      const food = await parties.agent.client.post<Intent>('/v1/intents', cart(teaShop.id, 5_00, { category: 'food' }));
      expect([food.status, food.category]).toEqual(['approved', 'food']);
    });
  });

  it('the admin route is not offered to another machine, even with the right key (a relay listening on 0.0.0.0)', async () => {
    const app = new Hono();
    const { key } = serveLocalAdmin(app, relay.ctx);
    const ask = (remoteAddress: string, localAddress = '192.0.2.2') =>
      app.fetch(new Request('http://relay.example/admin/ledger-check', { headers: { authorization: `Bearer ${key}` } }), { incoming: { socket: { remoteAddress, localAddress } } });
    for (const outsider of ['203.0.113.9', '::ffff:198.51.100.7', 'fd00::99', '10.0.0.1']) {
      const answered = await ask(outsider);
      expect(answered.status).toBe(404);
      expect(await answered.text()).not.toMatch(/journals|imbalanced/);
    }
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '192.0.2.2']) expect((await ask(local)).status).toBe(200);
  });

  describe('what held', () => {
    async function enroll(code: string) {
      const key = await generateSigningKey();
      return anonymous().as({ id: 'self', privateKey: key.privateKey }).post<Actor>('/v1/agents/enroll', { code, name: 'Stranger', publicKey: key.publicJwk });
    }

    it('two agents racing with one code: exactly one joins', async () => {
      const { wallet } = await setUpParties(relay);
      const invite = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
      const results = await Promise.all([attempt(enroll(invite.code)), attempt(enroll(invite.code)), attempt(enroll(invite.code.toLowerCase()))]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.status)).toEqual([409, 409]);
    });

    it('a code made before unpairing connects nobody afterwards; an agent cannot make codes; no code, no wallet', async () => {
      const { wallet, agent } = await setUpParties(relay);
      const invite = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
      expect(await attempt(agent.client.post('/v1/wallet/agent-invites', {}))).toMatchObject({ status: 403 });
      expect(await attempt(agent.client.post('/v1/wallet/actors', { kind: 'agent', name: 'Twin', publicKey: (await generateSigningKey()).publicJwk }))).toMatchObject({ status: 403 });
      expect(await attempt(enroll(''))).toMatchObject({ status: 400 });
      await wallet.client.post('/v1/wallet/unpair', {});
      expect(await attempt(enroll(invite.code))).toMatchObject({ status: 409, code: 'unknown_wallet' });
    });

    it("another wallet's payment: its record, task, cancel and reverse all answer as if it did not exist", async () => {
      const mine = await setUpParties(relay);
      const theirs = await setUpParties(relay);
      await setMandate(theirs.wallet, theirs.agent.record.id, { kind: 'confirm_each' });
      const taskId = `task-${Date.now()}`;
      const intent = await theirs.agent.client.post<Intent>('/v1/intents', cart(theirs.merchant.record.id, 3_00, { taskId }));
      expect(await attempt(mine.wallet.client.get(`/v1/wallet/records/${intent.id}`))).toMatchObject({ status: 404 });
      expect(await mine.wallet.client.get(`/v1/wallet/tasks/${taskId}`)).toEqual({ taskId, steps: [] });
      expect(await attempt(mine.wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'x' }))).toMatchObject({ status: 404 });
      expect(await attempt(mine.wallet.client.post(`/v1/wallet/records/${intent.id}/reverse`, {}))).toMatchObject({ status: 404 });
      const { tasks } = await mine.wallet.client.get<{ tasks: { taskId: string }[] }>('/v1/wallet/tasks');
      expect(tasks.map((t) => t.taskId)).not.toContain(taskId);
      expect((await theirs.agent.client.get<Intent>(`/v1/intents/${intent.id}`)).status).toBe('pending_confirmation');
    });

    it('a cancel racing the charge of the same token: one of them wins, never both, and the ledger adds up', async () => {
      const parties = await setUpParties(relay);
      await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
      for (let round = 0; round < 4; round++) {
        const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 7_00));
        await answer(parties.wallet, intent, 'approve');
        const { token } = await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`);
        const [cancelled, charged] = await Promise.all([
          parties.wallet.client.post<{ cancelled: string }>(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'the checkout tab was closed' }),
          attempt(parties.merchant.client.post('/v1/merchant/charges', { token: token!.secret, amount: { minor: 7_00, currency: 'CNY' } })),
        ]);
        if (charged.ok) expect(cancelled.cancelled).toBe('nothing');
        else expect([cancelled.cancelled, charged.status]).toEqual(['token', 410]);
      }
      expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
    });

    it('unpairing racing payments its agent asks for: no token of the unpaired wallet stays chargeable', async () => {
      const parties = await setUpParties(relay);
      await answer(parties.wallet, await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 1_00)), 'approve');
      await setMandate(parties.wallet, parties.agent.record.id, { kind: 'rules', rules: [{ id: 'r1', currency: 'CNY', maxPerPaymentMinor: 100_00 }] });
      const asks = Array.from({ length: 4 }, () => parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 3_00)).catch(() => undefined));
      const [, ...intents] = await Promise.all([parties.wallet.client.post('/v1/wallet/unpair', {}), ...asks]);
      for (const intent of intents) {
        if (!intent?.token) continue;
        const charged = await attempt(parties.merchant.client.post('/v1/merchant/charges', { token: intent.token.secret, amount: { minor: 3_00, currency: 'CNY' } }));
        expect(charged).toMatchObject({ ok: false, status: 410 });
      }
      expect(await attempt(parties.agent.client.post('/v1/intents', cart(parties.merchant.record.id, 3_00)))).toMatchObject({ status: 403 });
      expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
    });

    it.each(['Mars/Olympus', '../../etc/passwd', 'UTC\u0000', 'x'.repeat(500), '+08:00', "Asia/Shanghai'; DROP TABLE intents;--"])(
      'the analysis refuses the time zone %j with a 400',
      async (timeZone) => {
        const { wallet } = await setUpParties(relay);
        expect(await attempt(wallet.client.get(`/v1/wallet/analysis?timeZone=${encodeURIComponent(timeZone)}`))).toMatchObject({ status: 400 });
      },
    );

    it('the admin route answers 401 without the key, with a wrong one and with one of the right length', async () => {
      for (const authorization of [undefined, 'Bearer x', `Bearer ${'a'.repeat(43)}`, 'Basic YWRtaW46YWRtaW4=']) {
        const response = await fetch(`${relay.httpUrl}/admin/ledger-check`, { headers: authorization ? { authorization } : {} });
        expect(response.status).toBe(401);
        expect(await response.text()).not.toMatch(/journals|imbalanced/);
      }
    });
  });
});
