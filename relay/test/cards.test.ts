import type { Charge, Intent } from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import { balance } from '../src/ledger/ledger.ts';
import type { Relay } from '../src/relay.ts';
import { luhnValid } from '../src/vault/card.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

const NO_BURST_RISK = { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 };

describe.each(STORES)('card form of a token on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;

  beforeAll(async () => {
    relay = await startTestRelay(store, NO_BURST_RISK);
  });
  // Each test its own wallet, agent and merchant, so no test leans on what another spent or changed.
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 10_000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
    });
  });
  afterEach(async () => {
    expect(await checkLedger(relay.ctx.db)).toMatchObject({ ok: true, problems: [] });
  });
  afterAll(() => dropSchema(relay));

  const pay = (minor: number) => parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, minor));
  const chargeCard = (card: NonNullable<Intent['token']>['card'], minor: number, currency = 'CNY') =>
    parties.merchant.client.post<Charge>('/v1/merchant/charges', { card, amount: { minor, currency } });

  it('issues a Luhn-valid 999 card with the token, keeps only its last four, and replays the same card', async () => {
    const first = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00), { idempotencyKey: 'card-replay' });
    const card = first.token!.card;
    expect(card.number).toMatch(/^999\d{13}$/);
    expect(luhnValid(card.number)).toBe(true);
    expect(card.cvc).toMatch(/^\d{3}$/);
    const expires = new Date(first.token!.expiresAt);
    expect(card).toMatchObject({ expMonth: expires.getUTCMonth() + 1, expYear: expires.getUTCFullYear() });

    const again = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_00), { idempotencyKey: 'card-replay' });
    expect(again.token!.card).toEqual(card);
    // The agent's own read gives the same card back too.
    expect((await parties.agent.client.get<Intent>(`/v1/intents/${first.id}`)).token!.card).toEqual(card);

    const [row] = await relay.ctx.db.query<{ card_last4: string; card_number: string | null }>('SELECT card_last4, card_number FROM tokens WHERE id = $1', [first.token!.id]);
    expect(row).toEqual({ card_last4: card.number.slice(-4), card_number: null });
    // The CVC is never stored: not in the tokens table, not in the stored idempotent answer.
    const stored = await relay.ctx.db.query<{ body: unknown }>(`SELECT body FROM idempotency_keys WHERE key = 'card-replay'`);
    expect(JSON.stringify(stored)).not.toContain(`"cvc":"${card.cvc}"`);
    expect(JSON.stringify(stored)).not.toContain(first.token!.secret);
  });

  it('gives every token its own card number', async () => {
    const intents = await Promise.all(Array.from({ length: 20 }, () => pay(1_00)));
    expect(new Set(intents.map((i) => i.token!.card.number)).size).toBe(20);
  });

  it('a merchant charges the card form once, bound like the secret to merchant, currency and amount', async () => {
    const intent = await pay(30_00);
    const card = intent.token!.card;
    await expect(chargeCard(card, 30_01)).rejects.toMatchObject({ code: 'token_amount_exceeded' });
    await expect(chargeCard(card, 30_00, 'USD')).rejects.toMatchObject({ code: 'token_currency_mismatch' });
    await expect(chargeCard({ ...card, number: '9990000000000001' }, 30_00)).rejects.toMatchObject({ code: 'card_declined' });
    const charge = await chargeCard(card, 25_00);
    expect(charge).toMatchObject({ intentId: intent.id, tokenId: intent.token!.id, amount: { minor: 25_00 } });
    await expect(chargeCard(card, 25_00)).rejects.toMatchObject({ code: 'token_already_used' });
    // Secret and card are one token: once charged by card, the secret is used up too.
    await expect(
      parties.merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 1_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'token_already_used' });
  });

  it('refuses a charge with both or neither of token and card', async () => {
    const intent = await pay(2_00);
    const amount = { minor: 2_00, currency: 'CNY' };
    await expect(parties.merchant.client.post('/v1/merchant/charges', { amount })).rejects.toMatchObject({
      code: 'invalid_request', message: expect.stringContaining('exactly one of token'),
    });
    await expect(
      parties.merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, card: intent.token!.card, amount }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('declines a wrong expiry naming it, and revokes the token after 3 wrong CVCs, releasing its hold', async () => {
    const intent = await pay(40_00);
    const card = intent.token!.card;
    const wrongCvc = String((Number(card.cvc) + 1) % 1000).padStart(3, '0');
    const walletId = parties.wallet.record.id;
    const holdsBefore = await balance(relay.ctx.db, `wallet:${walletId}:holds`, 'CNY');

    await expect(chargeCard({ ...card, expYear: card.expYear + 1 }, 40_00)).rejects.toMatchObject({
      code: 'card_declined', status: 402, message: expect.stringContaining('expMonth/expYear'),
    });
    await expect(chargeCard({ ...card, cvc: wrongCvc }, 40_00)).rejects.toMatchObject({
      code: 'card_declined', message: expect.stringContaining('cvc is wrong (1 of 3'),
    });
    await expect(chargeCard({ ...card, cvc: wrongCvc }, 40_00)).rejects.toMatchObject({ message: expect.stringContaining('(2 of 3') });
    await expect(chargeCard({ ...card, cvc: wrongCvc }, 40_00)).rejects.toMatchObject({
      code: 'card_declined', message: expect.stringContaining('revoked'),
    });
    // Now even the right details are refused, and the hold went back to the user.
    await expect(chargeCard(card, 40_00)).rejects.toMatchObject({ code: 'token_revoked' });
    const [token] = await relay.ctx.db.query<{ status: string; cvc_failures: number }>('SELECT status, cvc_failures FROM tokens WHERE id = $1', [intent.token!.id]);
    expect(token).toEqual({ status: 'revoked', cvc_failures: 3 });
    expect(await balance(relay.ctx.db, `wallet:${walletId}:holds`, 'CNY')).toBe(holdsBefore - 40_00);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });

  it('a right CVC after a wrong one still charges', async () => {
    const intent = await pay(3_00);
    const card = intent.token!.card;
    const wrongCvc = String((Number(card.cvc) + 7) % 1000).padStart(3, '0');
    await expect(chargeCard({ ...card, cvc: wrongCvc }, 3_00)).rejects.toMatchObject({ code: 'card_declined' });
    expect((await chargeCard(card, 3_00)).amount.minor).toBe(3_00);
  });

  it('20 concurrent charges of one card charge it exactly once', async () => {
    const intent = await pay(20_00);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => chargeCard(intent.token!.card, 20_00)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(new Set(refused.map((r) => (r.reason as { code: string }).code))).toEqual(new Set(['token_already_used']));
  });

  it('never shows the card to the wallet', async () => {
    const { wallet, agent } = parties;
    await setMandate(wallet, agent.record.id, { kind: 'confirm_each' });
    const held = await pay(8_00);
    const approved = await answer(wallet, held, 'approve');
    expect(approved.token).toBeUndefined();
    const seen = await agent.client.get<Intent>(`/v1/intents/${held.id}`);
    const card = seen.token!.card;
    const walletReads = [
      approved,
      await wallet.client.get(`/v1/intents/${held.id}`),
      await wallet.client.get('/v1/wallet/records'),
      await wallet.client.get('/v1/wallet/confirmations'),
    ];
    for (const read of walletReads) {
      const text = JSON.stringify(read);
      expect(text).not.toContain(card.number);
      expect(text).not.toContain(seen.token!.secret);
      expect(text).not.toContain('"card"');
    }
    await chargeCard(card, 8_00);
  });
});
