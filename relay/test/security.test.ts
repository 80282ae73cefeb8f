import {
  generateSigningKey, type Intent, RelayHttpClient, SIGNATURE_HEADER, IDEMPOTENCY_HEADER, signHttpRequest,
} from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** Sends a request with a hand-made signature header, to forge and replay. */
async function raw(relay: Relay, method: string, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(new URL(path, relay.httpUrl), { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : body });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown> };
}

describe.each(STORES)('signatures, replays and bad input on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;

  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  // Each test its own wallet, agent (on a quota) and merchant: a mandate changed by one test never reaches another.
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
    });
  });
  afterEach(async () => {
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });
  afterAll(() => dropSchema(relay));

  it('refuses a request signed by a key that is not the registered one', async () => {
    const stranger = await generateSigningKey();
    const forged = new RelayHttpClient(relay.httpUrl, { id: parties.agent.record.id, privateKey: stranger.privateKey });
    await expect(forged.post('/v1/intents', cart(parties.merchant.record.id, 1_00))).rejects.toMatchObject({ code: 'bad_signature', status: 401 });
  });

  it('refuses unsigned requests and unknown signers', async () => {
    const anon = new RelayHttpClient(relay.httpUrl, undefined);
    await expect(anon.post('/v1/intents', cart(parties.merchant.record.id, 1_00))).rejects.toMatchObject({ code: 'unauthenticated' });
    const ghost = new RelayHttpClient(relay.httpUrl, { id: 'agt_doesnotexist', privateKey: parties.agent.signer.privateKey });
    await expect(ghost.post('/v1/intents', cart(parties.merchant.record.id, 1_00))).rejects.toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('agt_doesnotexist') });
  });

  it('refuses a signature replayed with a new idempotency key, or moved to another body or path', async () => {
    const body = JSON.stringify(cart(parties.merchant.record.id, 2_00));
    const signature = await signHttpRequest({ method: 'POST', path: '/v1/intents', body, privateKey: parties.agent.signer.privateKey, kid: parties.agent.record.id });
    const first = await raw(relay, 'POST', '/v1/intents', body, { [SIGNATURE_HEADER]: signature, [IDEMPOTENCY_HEADER]: 'k1' });
    expect(first.status).toBe(201);
    const replay = await raw(relay, 'POST', '/v1/intents', body, { [SIGNATURE_HEADER]: signature, [IDEMPOTENCY_HEADER]: 'k2' });
    expect(replay).toMatchObject({ status: 409, body: { error: { code: 'replayed_request' } } });
    const otherBody = JSON.stringify(cart(parties.merchant.record.id, 3_00));
    const moved = await raw(relay, 'POST', '/v1/intents', otherBody, { [SIGNATURE_HEADER]: signature, [IDEMPOTENCY_HEADER]: 'k3' });
    expect(moved).toMatchObject({ status: 401, body: { error: { code: 'bad_signature' } } });
    const [count] = await relay.ctx.db.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM intents WHERE amount_minor IN (200, 300)');
    expect(count!.n).toBe(1);
  });

  it('refuses a request signed outside the time window', async () => {
    const body = JSON.stringify(cart(parties.merchant.record.id, 1_00));
    const old = await signHttpRequest({ method: 'POST', path: '/v1/intents', body, privateKey: parties.agent.signer.privateKey, kid: parties.agent.record.id, now: Date.now() - 10 * 60_000 });
    const result = await raw(relay, 'POST', '/v1/intents', body, { [SIGNATURE_HEADER]: old, [IDEMPOTENCY_HEADER]: 'old-1' });
    expect(result).toMatchObject({ status: 401, body: { error: { code: 'stale_request' } } });
  });

  it('replays the first answer for a repeated idempotency key, and refuses the key with another body', async () => {
    const { agent, merchant } = parties;
    const first = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 4_00), { idempotencyKey: 'order-77' });
    const again = await agent.client.send('POST', '/v1/intents', cart(merchant.record.id, 4_00), { idempotencyKey: 'order-77' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await again.json()) as Intent;
    expect(replayed.id).toBe(first.id);
    expect(replayed.token!.secret).toBe(first.token!.secret);
    await expect(
      agent.client.post('/v1/intents', cart(merchant.record.id, 5_00), { idempotencyKey: 'order-77' }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused', status: 422 });
  });

  it('refuses a state change without an idempotency key', async () => {
    const body = JSON.stringify(cart(parties.merchant.record.id, 1_00));
    const signature = await signHttpRequest({ method: 'POST', path: '/v1/intents', body, privateKey: parties.agent.signer.privateKey, kid: parties.agent.record.id });
    const result = await raw(relay, 'POST', '/v1/intents', body, { [SIGNATURE_HEADER]: signature });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'idempotency_key_missing' } } });
  });

  it.each([
    ['not JSON', () => '{"merchantId": ', 'invalid_json', /not JSON/],
    ['a float amount', () => JSON.stringify({ ...cartFor(), amount: { minor: 1.5, currency: 'CNY' } }), 'invalid_request', /amount\.minor/],
    ['a lower-case currency', () => JSON.stringify({ ...cartFor(), amount: { minor: 100, currency: 'cny' } }), 'invalid_request', /amount\.currency/],
    ['items that do not add up', () => JSON.stringify({ ...cartFor(), amount: { minor: 999, currency: 'CNY' } }), 'invalid_request', /line items add up/],
    ['an unknown merchant', () => JSON.stringify({ ...cartFor(), merchantId: 'mer_nobody' }), 'unknown_merchant', /mer_nobody/],
  ])('answers %s with a clear error and writes nothing', async (_name, makeBody, code, message) => {
    const body = makeBody();
    const path = '/v1/intents';
    const signature = await signHttpRequest({ method: 'POST', path, body, privateKey: parties.agent.signer.privateKey, kid: parties.agent.record.id });
    const before = await relay.ctx.db.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM intents');
    const result = await raw(relay, 'POST', path, body, { [SIGNATURE_HEADER]: signature, [IDEMPOTENCY_HEADER]: `bad-${Math.random()}` });
    expect(result.body.error?.code).toBe(code);
    expect(result.body.error?.message).toMatch(message);
    const after = await relay.ctx.db.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM intents');
    expect(after).toEqual(before);
    // The relay keeps serving.
    const ok = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 1_00));
    expect(ok.status).toBe('approved');
  });

  it('refuses a token at another merchant, above its amount, in another currency, after expiry, and a second time', async () => {
    const { agent, merchant, wallet } = parties;
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 6_00));
    const secret = intent.token!.secret;
    const otherKey = await generateSigningKey();
    const other = await new RelayHttpClient(relay.httpUrl, { id: 'self', privateKey: otherKey.privateKey })
      .post<{ id: string }>('/v1/merchants', { name: 'Other shop', publicKey: otherKey.publicJwk });
    const otherClient = new RelayHttpClient(relay.httpUrl, { id: other.id, privateKey: otherKey.privateKey });
    const charge = (client: RelayHttpClient, minor: number, currency = 'CNY', token = secret) =>
      client.post('/v1/merchant/charges', { token, amount: { minor, currency } });

    await expect(charge(otherClient, 6_00)).rejects.toMatchObject({ code: 'token_merchant_mismatch' });
    await expect(charge(merchant.client, 6_01)).rejects.toMatchObject({ code: 'token_amount_exceeded' });
    await expect(charge(merchant.client, 6_00, 'USD')).rejects.toMatchObject({ code: 'token_currency_mismatch' });
    await expect(charge(merchant.client, 6_00, 'CNY', 'tks_forged')).rejects.toMatchObject({ code: 'token_not_found' });
    await charge(merchant.client, 6_00);
    await expect(charge(merchant.client, 6_00)).rejects.toMatchObject({ code: 'token_already_used' });
    // Wallets and agents cannot use the merchant API.
    await expect(charge(wallet.client, 6_00)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('an approval is bound to the exact cart it was shown with', async () => {
    const { wallet, agent, merchant } = parties;
    await setMandate(wallet, agent.record.id, { kind: 'confirm_each' });
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 50_00));
    expect(held.status).toBe('pending_confirmation');
    await expect(answer(wallet, held, 'approve', { amount: { minor: 5_00, currency: 'CNY' } })).rejects.toMatchObject({ code: 'approval_mismatch' });
    await expect(answer(wallet, held, 'approve', { lineItems: [{ name: 'Other', quantity: 1, unitMinor: 50_00 }] })).rejects.toMatchObject({ code: 'approval_mismatch' });
    // An approval signed for one intent cannot approve another with the same cart.
    const twin = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 50_00));
    await expect(answer(wallet, twin, 'approve', { intentId: held.id })).rejects.toMatchObject({ code: 'approval_mismatch' });
    // Only the wallet's own key can approve: the agent cannot confirm its own payment.
    await expect(
      agent.client.post(`/v1/intents/${held.id}/confirmation`, { jws: 'x.y.z' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const denied = await answer(wallet, held, 'deny');
    expect(denied.status).toBe('denied');
    await expect(answer(wallet, held, 'approve')).rejects.toMatchObject({ code: 'intent_not_pending' });
  });

  function cartFor() {
    return cart(parties.merchant.record.id, 1_00);
  }
});
