import type { Charge, Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * `relay ledger check` must see a broken promise in the stored state. These tests write the state each
 * old bug left behind (the relay no longer can) and expect the check to name it; untouched, it passes.
 */
describe.each(STORES)('ledger check on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  async function paidAndRevoked() {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 40_00));
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: intent.amount });
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'revoked' });
    return { intent, charge };
  }
  const problems = async (check: string) => (await checkLedger(relay.ctx.db)).problems.filter((p) => p.check === check);

  it('passes on what the relay wrote, and names a charge recorded after its agent was revoked', async () => {
    const { charge } = await paidAndRevoked();
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
    await relay.ctx.db.query(`UPDATE charges SET recorded_at = recorded_at + interval '1 hour' WHERE id = $1`, [charge.id]);
    expect(await problems('nothing charged or approved after its actor was revoked')).toEqual([
      expect.objectContaining({ detail: expect.stringContaining(`charge ${charge.id}`) }),
    ]);
    await relay.ctx.db.query(`UPDATE charges SET recorded_at = recorded_at - interval '1 hour' WHERE id = $1`, [charge.id]);
  });

  it('names a token that had more than three CVC guesses judged, or was charged after three', async () => {
    const { intent } = await paidAndRevoked();
    await relay.ctx.db.query('UPDATE tokens SET cvc_failures = 3 WHERE id = $1', [intent.token!.id]);
    expect(await problems('at most three CVC guesses judged per card')).toEqual([expect.objectContaining({ detail: expect.stringContaining(intent.token!.id) })]);
    await relay.ctx.db.query('UPDATE tokens SET cvc_failures = 0 WHERE id = $1', [intent.token!.id]);
  });

  it('names a quota approval that took spending over the budget of the mandate that approved it', async () => {
    const { intent } = await paidAndRevoked();
    await relay.ctx.db.query('UPDATE intents SET quota_spent_after = 10001 WHERE id = $1', [intent.id]);
    expect(await problems('every quota approval fit the budget of the mandate that approved it')).toEqual([
      expect.objectContaining({ detail: expect.stringContaining(intent.id) }),
    ]);
    await relay.ctx.db.query('UPDATE intents SET quota_spent_after = 4000 WHERE id = $1', [intent.id]);
  });
});
