import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cancellation } from '../src/intents/cancel.ts';
import type { Relay } from '../src/relay.ts';
import { addActor, answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';


/**
 * `POST /v1/intents/{id}/cancel`: an agent withdraws a payment of its own (the MCP server's
 * cancel tool), as the wallet can for a checkout that is gone. It can only ever make less happen:
 * another agent's payment is not its to touch, and against the user's approval in the same moment
 * exactly one of the two wins, never a cancelled payment whose token still charges.
 */
describe.each(STORES)('an agent cancelling its own payment, on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
  });
  afterAll(() => dropSchema(relay));

  const reason = 'the user changed their mind in the chat; nothing was paid';
  const held = () => parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00));
  const charge = (secret: string) => parties.merchant.client.post('/v1/merchant/charges', { token: secret, amount: { minor: 12_00, currency: 'CNY' } });

  it('a held payment stops waiting for the user, and can no longer be approved', async () => {
    const intent = await held();
    expect(await parties.agent.client.post<Cancellation>(`/v1/intents/${intent.id}/cancel`, { reason })).toMatchObject({ cancelled: 'held' });
    const { confirmations } = await parties.wallet.client.get<{ confirmations: { intentId: string }[] }>('/v1/wallet/confirmations');
    expect(confirmations.map((c) => c.intentId)).not.toContain(intent.id);
    await expect(answer(parties.wallet, intent, 'approve')).rejects.toMatchObject({ code: 'intent_not_pending' });
    const record = await parties.wallet.client.get<{ story: { state: string } }>(`/v1/wallet/records/${intent.id}`);
    expect(record.story.state).toBe('cancelled');
  });

  it('an approved token not yet charged is revoked; a charged one is left alone (never a refund)', async () => {
    const first = await held();
    await answer(parties.wallet, first, 'approve');
    const { token } = await parties.agent.client.get<Intent>(`/v1/intents/${first.id}`);
    expect(await parties.agent.client.post<Cancellation>(`/v1/intents/${first.id}/cancel`, { reason })).toMatchObject({ cancelled: 'token' });
    await expect(charge(token!.secret)).rejects.toMatchObject({ status: 410, code: 'token_revoked' });
    // Asked again (a retry whose first answer was lost): already cancelled, not "approved" as if still payable.
    expect(await parties.agent.client.post<Cancellation>(`/v1/intents/${first.id}/cancel`, { reason })).toEqual({ cancelled: 'nothing', intentId: first.id, status: 'approved', tokenStatus: 'revoked' });

    const second = await held();
    await answer(parties.wallet, second, 'approve');
    await charge((await parties.agent.client.get<Intent>(`/v1/intents/${second.id}`)).token!.secret);
    expect(await parties.agent.client.post<Cancellation>(`/v1/intents/${second.id}/cancel`, { reason })).toEqual({ cancelled: 'nothing', intentId: second.id, status: 'approved', tokenStatus: 'charged' });
  });

  it("another agent's payment, even in the same wallet, is not found; a missing reason is named", async () => {
    const intent = await held();
    const sibling = await addActor(relay, parties.wallet.client);
    await expect(sibling.client.post(`/v1/intents/${intent.id}/cancel`, { reason })).rejects.toMatchObject({ status: 404 });
    await expect(parties.agent.client.post(`/v1/intents/${intent.id}/cancel`, {})).rejects.toMatchObject({ status: 400, message: expect.stringContaining('reason') });
    expect((await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`)).status).toBe('pending_confirmation');
  });

  it('raced against the user approving it, exactly one wins, and a cancelled payment never charges', async () => {
    for (let round = 0; round < 8; round++) {
      const intent = await held();
      const [approved, cancelled] = await Promise.allSettled([
        answer(parties.wallet, intent, 'approve'),
        parties.agent.client.post<Cancellation>(`/v1/intents/${intent.id}/cancel`, { reason }),
      ]);
      expect(cancelled.status).toBe('fulfilled');
      const outcome = (cancelled as PromiseFulfilledResult<Cancellation>).value.cancelled;
      const after = await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`);
      if (outcome === 'held') {
        // Cancelled first: the approval came too late, and there is no token.
        expect(approved).toMatchObject({ status: 'rejected', reason: { code: 'intent_not_pending' } });
        expect(after.status).toBe('denied');
        expect(after.token).toBeUndefined();
      } else {
        // Approved first: the cancel revoked the token it found (so the agent no longer reads it), and the merchant cannot charge it.
        expect(approved.status).toBe('fulfilled');
        expect(outcome).toBe('token');
        expect(after.token).toBeUndefined();
        const [token] = await relay.ctx.db.query<{ id: string }>('SELECT id FROM tokens WHERE intent_id = $1', [intent.id]);
        await expect(charge(relay.ctx.vault.secretFor(token!.id))).rejects.toMatchObject({ code: 'token_revoked' });
      }
    }
  });
});
