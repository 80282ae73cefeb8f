import { type Intent, SpendingPower } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { addActor, answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * `GET /v1/agents/me`: what an agent may spend, asked by the agent itself (an MCP client plans with
 * it). Each case reads it as the agent would and checks it against what the relay then decides.
 */
describe.each(STORES)('an agent asking what it may spend, on %s', (store) => {
  let relay: Relay;
  // Mid-November in Shanghai: a monthly budget there renews at local midnight on 1 December.
  const now = new Date('2026-11-15T10:00:00Z');
  const issuedAt = now.toISOString();
  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => now });
  });
  afterAll(() => dropSchema(relay));

  const powerOf = async (client: { get<T>(path: string): Promise<T> }) => SpendingPower.parse(await client.get('/v1/agents/me'));

  it('with no mandate: none, so every payment asks', async () => {
    const { agent } = await setUpParties(relay);
    expect(await powerOf(agent.client)).toEqual({
      actor: { id: agent.record.id, kind: 'agent', name: 'Shopping agent', status: 'active', walletId: agent.record.walletId },
      mandate: null,
    });
  });

  it("with a budget: the mandate in the wallet's words, what is spent and left this month, and when it renews", async () => {
    const { wallet, merchant, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, {
      issuedAt, kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai', merchants: [merchant.record.id],
    });
    const paid = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 70_00));
    expect(paid.status).toBe('approved');

    const power = await powerOf(agent.client);
    expect(power.mandate).toMatchObject({
      kind: 'quota',
      description: 'A budget of 500.00 CNY a month, at Demo Shop.',
      paysWithoutAsking: true,
      budget: {
        limit: { minor: 500_00, currency: 'CNY' },
        spent: { minor: 70_00, currency: 'CNY' },
        left: { minor: 430_00, currency: 'CNY' },
        period: 'month',
        renewsAt: '2026-11-30T16:00:00.000Z',
      },
    });
    // What it says is left is what the relay pays without asking: one fen more is held.
    expect((await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 430_01))).status).toBe('pending_confirmation');
    expect((await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 430_00))).status).toBe('approved');
    expect((await powerOf(agent.client)).mandate).toMatchObject({ paysWithoutAsking: false, budget: { left: { minor: 0, currency: 'CNY' } } });
  });

  it.each([
    ['confirm each', { kind: 'confirm_each' }, false, "This agent's mandate asks you before every payment."],
    ['rules', { kind: 'rules', rules: [{ id: 'r1', description: 'Coffee under 30', currency: 'CNY', maxPerPaymentMinor: 30_00 }] }, true, 'This agent may pay on its own where one of your rules allows: "Coffee under 30".'],
  ])('with %s: whether it pays without asking, and no budget', async (_, mandate, pays, description) => {
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { issuedAt, ...mandate } as Parameters<typeof setMandate>[2]);
    expect((await powerOf(agent.client)).mandate).toMatchObject({ kind: mandate.kind, description, paysWithoutAsking: pays, budget: null });
  });

  it('a paused agent pays nothing without asking, whatever its budget has left', async () => {
    const { wallet, merchant, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { issuedAt, kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'week', timeZone: 'UTC' });
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    const power = await powerOf(agent.client);
    expect(power.actor.status).toBe('paused');
    expect(power.mandate).toMatchObject({ paysWithoutAsking: false, budget: { left: { minor: 100_00, currency: 'CNY' }, renewsAt: '2026-11-16T00:00:00.000Z' } });
    expect((await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00))).status).toBe('declined');
  });

  it("each agent sees its own mandate only; a wallet's key is not an agent's", async () => {
    const { wallet, agent } = await setUpParties(relay);
    const other = await addActor(relay, wallet.client);
    await setMandate(wallet, other.record.id, { issuedAt, kind: 'confirm_each' });
    expect((await powerOf(agent.client)).mandate).toBeNull();
    expect((await powerOf(other.client)).actor.id).toBe(other.record.id);
    await expect(wallet.client.get('/v1/agents/me')).rejects.toMatchObject({ status: 403 });
  });

  it('a held payment spends nothing of the budget it is reported against', async () => {
    const { wallet, merchant, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { issuedAt, kind: 'quota', budget: { minor: 50_00, currency: 'CNY' }, period: 'day', timeZone: 'UTC' });
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 80_00));
    expect(held.status).toBe('pending_confirmation');
    expect((await powerOf(agent.client)).mandate?.budget?.spent.minor).toBe(0);
    await answer(wallet, held, 'deny');
    expect((await powerOf(agent.client)).mandate?.budget).toMatchObject({ left: { minor: 50_00 }, renewsAt: '2026-11-16T00:00:00.000Z' });
  });
});

describe.each(STORES)('an agent listing what it bought, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  it('its own payments only, newest first, with their stories, page by page, and never a token secret', async () => {
    const { wallet, merchant, agent } = await setUpParties(relay);
    const sibling = await addActor(relay, wallet.client);
    for (const actor of [agent, sibling]) {
      await setMandate(wallet, actor.record.id, { kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    }
    const mine: Intent[] = [];
    for (const minor of [10_00, 20_00, 30_00]) mine.push(await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, minor)));
    await sibling.client.post<Intent>('/v1/intents', cart(merchant.record.id, 40_00));
    await merchant.client.post('/v1/merchant/charges', { token: mine[0]!.token!.secret, amount: { minor: 10_00, currency: 'CNY' } });

    const first = await agent.client.get<{ records: { id: string; boughtBy: { id: string }; story: { state: string } }[]; nextCursor: string | null }>('/v1/agents/me/purchases?limit=2');
    expect(first.records.map((r) => r.id)).toEqual([mine[2]!.id, mine[1]!.id]);
    const rest = await agent.client.get<typeof first>(`/v1/agents/me/purchases?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(rest.records.map((r) => r.id)).toEqual([mine[0]!.id]);
    expect(rest.nextCursor).toBeNull();
    expect(rest.records[0]!.story.state).toBe('paid');
    expect([...first.records, ...rest.records].every((r) => r.boughtBy.id === agent.record.id)).toBe(true);
    const raw = JSON.stringify([first, rest]);
    for (const intent of mine) expect(raw).not.toContain(intent.token!.secret);
    await expect(agent.client.get('/v1/agents/me/purchases?limit=0')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('limit') });
    // Forged cursors (a year the store cannot hold, a NUL in the id) are refused naming the cursor, never a 500.
    for (const forged of [{ at: '0000-01-01T00:00:00.000000Z', id: mine[0]!.id }, { at: '2026-01-01T00:00:00.000000Z', id: 'int_a\u0000b' }]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      await expect(agent.client.get(`/v1/agents/me/purchases?cursor=${cursor}`)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('cursor') });
    }
  });
});
