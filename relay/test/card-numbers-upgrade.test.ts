import type { Charge, Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { forgetCardNumbers } from '../src/vault/tokens.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * Relays before migration 006 kept each token's card number in clear, in `tokens` and in stored
 * answers. After the upgrade no number may stay in clear once its token has ended, and a token still
 * active keeps working by card until then.
 */
describe.each(STORES)('card numbers kept in clear by an older relay, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  it('are hashed at start, still charge while active, and are gone from tokens and stored answers once the token ends', async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const [active, ended] = [
      await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00), { idempotencyKey: 'legacy-active' }),
      await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 11_00), { idempotencyKey: 'legacy-ended' }),
    ];
    // The state an older relay left: random numbers in clear, no hash, and the number in the stored answer.
    const legacy = { [active.id]: '9991111111111116', [ended.id]: '9992222222222224' };
    for (const intent of [active, ended]) {
      await relay.ctx.db.query('UPDATE tokens SET card_number = $2, card_hash = NULL, card_last4 = NULL WHERE intent_id = $1', [intent.id, legacy[intent.id]]);
      await relay.ctx.db.query(`UPDATE idempotency_keys SET body = jsonb_set(body, '{token,card,number}', to_jsonb($2::text)) WHERE body->'token'->>'id' = $1`, [intent.token!.id, legacy[intent.id]]);
    }
    await relay.ctx.db.query(`UPDATE tokens SET status = 'expired' WHERE intent_id = $1`, [ended.id]);
    await relay.ctx.db.query(`DELETE FROM schema_migrations WHERE name LIKE 'data:%'`);

    expect(await forgetCardNumbers(relay.ctx, relay.ctx.db)).toBe(false);
    const inClear = async (number: string) =>
      JSON.stringify(await relay.ctx.db.query('SELECT * FROM tokens')).includes(number) ||
      JSON.stringify(await relay.ctx.db.query('SELECT body FROM idempotency_keys')).includes(number);
    expect(await inClear(legacy[ended.id]!)).toBe(false);
    // The active one replays and charges with the number its agent was given.
    const replay = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00), { idempotencyKey: 'legacy-active' });
    expect(replay.token!.card.number).toBe(legacy[active.id]);
    const card = { ...replay.token!.card };
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { card, amount: { minor: 10_00, currency: 'CNY' } });
    expect(charge.tokenId).toBe(active.token!.id);

    expect(await forgetCardNumbers(relay.ctx, relay.ctx.db)).toBe(true);
    expect(await inClear(legacy[active.id]!)).toBe(false);
  });
});
