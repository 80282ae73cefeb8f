import {
  type Actor, type AgentInvite, type ConfirmationRequest, type Intent, ProtocolError, RelayHttpClient, generateSigningKey,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setUpParties, startTestRelay, STORES } from './harness.ts';

describe.each(STORES)('connecting an agent with a code from the wallet, on %s', (store) => {
  let relay: Relay;
  let offsetMs = 0;
  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(() => dropSchema(relay));

  const anonymous = () => new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
  /** An agent somewhere else: its own key, which signs its enrollment. */
  async function enroll(code: string, name = 'Demo shopping agent') {
    const key = await generateSigningKey();
    const actor = await anonymous().as({ id: 'self', privateKey: key.privateKey }).post<Actor>('/v1/agents/enroll', { code, name, publicKey: key.publicJwk });
    return { actor, client: anonymous().as({ id: actor.id, privateKey: key.privateKey }) };
  }
  const refusal = (attempt: Promise<unknown>) => attempt.then(() => expect.unreachable('the code was taken'), (error: unknown) => error as ProtocolError);

  it("joins the wallet that made the code, with no mandate, so its purchases wait for the user's confirmation", async () => {
    const { wallet, merchant } = await setUpParties(relay);
    const invite = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
    expect(invite.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(new Date(invite.expiresAt).getTime() - relay.ctx.now().getTime()).toBeGreaterThan(9 * 60_000);
    // Typed by a person: lower case and spaces instead of dashes are the same code.
    const { actor, client } = await enroll(invite.code.toLowerCase().replace(/-/g, ' '));
    expect(actor).toMatchObject({ walletId: wallet.record.id, kind: 'agent', name: 'Demo shopping agent', status: 'active' });
    const { actors } = await wallet.client.get<{ actors: (Actor & { mandate: unknown })[] }>('/v1/wallet/actors');
    expect(actors.find((a) => a.id === actor.id)).toMatchObject({ name: 'Demo shopping agent', mandate: null });

    const intent = await client.post<Intent>('/v1/intents', cart(merchant.record.id, 12_00));
    expect(intent.status).toBe('pending_confirmation');
    const { confirmations } = await wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    expect(confirmations.map((c) => [c.intentId, c.actorName])).toContainEqual([intent.id, 'Demo shopping agent']);
  });

  it('tells a program connected twice apart: the second agent of that name is "(2)"', async () => {
    const { wallet } = await setUpParties(relay);
    const code = async () => (await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {})).code;
    const first = await enroll(await code());
    const second = await enroll(await code());
    const third = await enroll(await code(), 'Demo shopping agent (2)');
    expect([first.actor.name, second.actor.name, third.actor.name]).toEqual(['Demo shopping agent', 'Demo shopping agent (2)', 'Demo shopping agent (2) (2)']);
    // A name at the longest allowed keeps within it.
    const long = 'A'.repeat(120);
    await enroll(await code(), long);
    expect((await enroll(await code(), long)).actor.name).toBe(`${'A'.repeat(116)} (2)`);
  });

  it('refuses a wrong code naming the field, and connects nothing', async () => {
    const { wallet } = await setUpParties(relay);
    const before = await wallet.client.get<{ actors: Actor[] }>('/v1/wallet/actors');
    const error = await refusal(enroll('ABCD-EFGH-JKMN'));
    expect(error).toMatchObject({ status: 403, details: [{ path: 'code', message: 'wrong code' }] });
    expect(error.message).toMatch(/^this agent code is wrong; nothing was connected/);
    expect(await wallet.client.get<{ actors: Actor[] }>('/v1/wallet/actors')).toEqual(before);
  });

  it('refuses a used code and an expired one', async () => {
    const { wallet } = await setUpParties(relay);
    const used = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
    await enroll(used.code);
    expect(await refusal(enroll(used.code, 'A second agent'))).toMatchObject({ status: 409, details: [{ path: 'code', message: 'already used' }] });

    const stale = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
    offsetMs += 11 * 60_000;
    try {
      const error = await refusal(enroll(stale.code));
      expect(error).toMatchObject({ status: 410, details: [{ path: 'code', message: 'expired' }] });
      expect(error.message).toContain('expired');
    } finally {
      offsetMs -= 11 * 60_000;
    }
    // Neither refusal took the code: an expired code stays unused, and the used one names its one agent.
    const rows = await relay.ctx.db.query<{ used: boolean; actor_id: string | null }>(
      'SELECT used_at IS NOT NULL AS used, actor_id FROM agent_invites WHERE wallet_id = $1 ORDER BY created_at', [wallet.record.id],
    );
    expect(rows.map((r) => r.used)).toEqual([true, false]);
    expect(rows[0]!.actor_id).toMatch(/^agt_/);
  });

  it('lets exactly one of two agents racing with one code in', async () => {
    const { wallet } = await setUpParties(relay);
    for (let round = 0; round < 5; round++) {
      const invite = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
      const outcomes = await Promise.allSettled([enroll(invite.code, `Racer A${round}`), enroll(invite.code, `Racer B${round}`)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ status: 409 });
    }
    const { actors } = await wallet.client.get<{ actors: Actor[] }>('/v1/wallet/actors');
    expect(actors.filter((a) => a.name.startsWith('Racer'))).toHaveLength(5);
  });

  it('throttles guessing with 429 and Retry-After', async () => {
    const guesser = await startTestRelay(store);
    try {
      const key = await generateSigningKey();
      const client = new RelayHttpClient(guesser.httpUrl, { id: 'self', privateKey: key.privateKey });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 11; i++) {
        const response = await client.send('POST', '/v1/agents/enroll', { code: `WRNG-CODE-${String(i).padStart(4, '2')}`, name: 'Guesser', publicKey: key.publicJwk });
        statuses.push(response.status);
        retryAfter = response.headers.get('retry-after');
      }
      expect(statuses).toEqual([...Array(10).fill(403), 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await dropSchema(guesser);
    }
  });
});
