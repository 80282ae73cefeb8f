import {
  type Actor, facilitatorAuthHeaders, type Intent, type Merchant, type Wallet, SIGNATURE_HEADER,
} from '@agentpay/protocol';
import { HTTPFacilitatorClient } from '@x402/core/server';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { relayNetwork } from '../src/x402/network.ts';
import { cart, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * The relay as an x402 v2 facilitator, called through the official `HTTPFacilitatorClient`, which
 * checks every answer against x402's own schemas: a malformed answer would throw here.
 */
describe.each(STORES)('x402 facilitator (%s)', (store) => {
  let relay: Relay;
  let wallet: Party<Wallet>;
  let merchant: Party<Merchant>;
  let agent: Party<Actor>;
  let facilitator: HTTPFacilitatorClient;
  let network: `${string}:${string}`;

  beforeAll(async () => {
    relay = await startTestRelay(store);
    ({ wallet, merchant, agent } = await setUpParties(relay));
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const url = `${relay.httpUrl}/x402`;
    facilitator = new HTTPFacilitatorClient({ url, createAuthHeaders: facilitatorAuthHeaders(merchant.signer, url, () => relay.ctx.now().getTime()) });
    network = relayNetwork(relay.ctx) as `${string}:${string}`;
  });
  afterAll(async () => {
    await relay?.close();
  });

  const requirementsFor = (minor: number, overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
    scheme: 'exact', network, amount: String(minor), asset: 'CNY', payTo: merchant.record.id, maxTimeoutSeconds: 60, extra: { reference: 'ord_1' }, ...overrides,
  });
  const payloadFor = (requirements: PaymentRequirements, token: string): PaymentPayload =>
    ({ x402Version: 2, resource: { url: 'http://127.0.0.1:8788/report' }, accepted: requirements, payload: { token } });
  const grant = async (minor: number) => {
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, minor));
    if (!intent.token) throw new Error(`not granted: ${JSON.stringify(intent.decision)}`);
    return intent.token.secret;
  };

  it('/supported names this relay\'s network (schemes exact and upto), and the official client reads it', async () => {
    expect(await facilitator.getSupported()).toEqual({
      kinds: [{ x402Version: 2, scheme: 'exact', network }, { x402Version: 2, scheme: 'upto', network }], extensions: [], signers: {},
    });
    expect(network).toMatch(/^agentpay:[-_A-Za-z0-9]{16}$/);
  });

  it('verifies a granted token (holding it for its settle), settles it once, and refuses a second settle', async () => {
    const requirements = requirementsFor(12_50);
    const payload = payloadFor(requirements, await grant(12_50));
    expect(await facilitator.verify(payload, requirements)).toEqual({ isValid: true, payer: agent.record.id });
    // Verified, it is held for this payment's settle: a copy verified meanwhile is refused.
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: false, invalidReason: 'token_in_use' });
    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toEqual({ success: true, payer: agent.record.id, transaction: expect.stringMatching(/^chg_/), network, amount: '1250' });
    const [charge] = await relay.ctx.db.query<{ reference: string; amount_minor: number }>('SELECT reference, amount_minor FROM charges WHERE id = $1', [settled.transaction]);
    expect(charge).toMatchObject({ reference: 'ord_1', amount_minor: 12_50 });
    await expect(facilitator.settle(payload, requirements)).resolves.toMatchObject({ success: false, errorReason: 'token_already_used' });
    await expect(facilitator.verify(payload, requirements)).resolves.toMatchObject({ isValid: false, invalidReason: 'token_already_used' });
  });

  it('refuses, each with its own reason: another amount, currency, network or payee, a changed acceptance, a forged token', async () => {
    const token = await grant(30_00);
    const requirements = requirementsFor(30_00);
    const refused = async (payload: PaymentPayload, asked: PaymentRequirements) =>
      facilitator.verify(payload, asked).then((answer) => answer.invalidReason, (error: { invalidReason?: string }) => error.invalidReason);
    expect(await refused(payloadFor(requirementsFor(29_99), token), requirementsFor(29_99))).toBe('token_amount_mismatch');
    expect(await refused(payloadFor(requirementsFor(30_00, { asset: 'USD' }), token), requirementsFor(30_00, { asset: 'USD' }))).toBe('token_currency_mismatch');
    expect(await refused(payloadFor(requirementsFor(30_00, { network: 'agentpay:someoneelse' }), token), requirementsFor(30_00, { network: 'agentpay:someoneelse' }))).toBe('invalid_network');
    expect(await refused(payloadFor(requirementsFor(30_00, { payTo: 'mer_other' }), token), requirementsFor(30_00, { payTo: 'mer_other' }))).toBe('payto_not_caller');
    expect(await refused(payloadFor(requirementsFor(1_00), token), requirements)).toBe('accepted_mismatch');
    expect(await refused(payloadFor(requirements, 'forged'), requirements)).toBe('token_not_found');
    expect(await refused({ ...payloadFor(requirements, token), payload: { signature: '0x00' } }, requirements)).toBe('invalid_payload');
    expect(await refused(payloadFor(requirements, token), { ...requirements, amount: '-5' })).toBe('invalid_payment_requirements');
    // None of that used the token.
    expect(await facilitator.verify(payloadFor(requirements, token), requirements)).toMatchObject({ isValid: true });
  });

  it("another merchant cannot settle (or even test) a merchant's token", async () => {
    const other = await setUpParties(relay);
    const url = `${relay.httpUrl}/x402`;
    const thief = new HTTPFacilitatorClient({ url, createAuthHeaders: facilitatorAuthHeaders(other.merchant.signer, url, () => relay.ctx.now().getTime()) });
    const requirements = requirementsFor(5_00);
    const token = await grant(5_00);
    // Naming the real payee: refused, the thief is not it.
    await expect(thief.settle(payloadFor(requirements, token), requirements)).resolves.toMatchObject({ success: false, errorReason: 'payto_not_caller' });
    // Naming itself as payee: the token is bound to the first merchant.
    const own = requirementsFor(5_00, { payTo: other.merchant.record.id });
    await expect(thief.settle(payloadFor(own, token), own)).resolves.toMatchObject({ success: false, errorReason: 'token_merchant_mismatch' });
    expect(await facilitator.settle(payloadFor(requirements, token), requirements)).toMatchObject({ success: true });
  });

  it('needs a merchant signature for this very call: unsigned, an agent key, a replayed header or another path are refused', async () => {
    const requirements = requirementsFor(1_00);
    const body = JSON.stringify({ x402Version: 2, paymentPayload: payloadFor(requirements, 'x'), paymentRequirements: requirements });
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${relay.httpUrl}/x402${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post('/settle', {})).status).toBe(401);
    const asAgent = await facilitatorAuthHeaders(agent.signer, `${relay.httpUrl}/x402`)();
    expect(await (await post('/settle', asAgent.settle)).json()).toMatchObject({ error: { code: 'forbidden' } });
    const headers = await facilitatorAuthHeaders(merchant.signer, `${relay.httpUrl}/x402`, () => relay.ctx.now().getTime())();
    expect((await post('/settle', headers.verify)).status).toBe(401);
    expect((await post('/verify', headers.verify)).status).toBe(200);
    expect(await (await post('/verify', headers.verify)).json()).toMatchObject({ error: { code: 'replayed_request' } });
  });

  it('answers a malformed body with a 400 naming what is wrong, never a 500', async () => {
    const headers = async () => (await facilitatorAuthHeaders(merchant.signer, `${relay.httpUrl}/x402`, () => relay.ctx.now().getTime())()).settle;
    const post = async (body: string) => fetch(`${relay.httpUrl}/x402/settle`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await headers()) }, body });
    const notJson = await post('{');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const wrongShape = await post(JSON.stringify({ x402Version: 1, paymentPayload: {} }));
    expect(wrongShape.status).toBe(400);
    expect(await wrongShape.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('x402Version') } });
  });

  it('settles a token once when ten settles race, and the ledger holds one charge', async () => {
    const requirements = requirementsFor(7_00);
    const payload = payloadFor(requirements, await grant(7_00));
    const answers = await Promise.all(Array.from({ length: 10 }, () => facilitator.settle(payload, requirements).catch((error: { errorReason?: string }) => error)));
    const won = answers.filter((a) => 'success' in a && a.success);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => (a as { errorReason?: string }).errorReason === 'token_already_used')).toHaveLength(9);
  });

  it('a token the user withdrew in their wallet is refused, though the agent still holds its secret', async () => {
    const granted = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 3_00));
    await wallet.client.post(`/v1/wallet/intents/${granted.id}/cancel`, { reason: 'changed my mind' });
    const requirements = requirementsFor(3_00);
    await expect(facilitator.settle(payloadFor(requirements, granted.token!.secret), requirements)).resolves.toMatchObject({ success: false, errorReason: 'token_revoked' });
  });

  it('a verified token is held for its settle: ten verifies at once pass one; its agent cannot withdraw it meanwhile, its user can', async () => {
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 6_00));
    const requirements = requirementsFor(6_00);
    const payload = payloadFor(requirements, intent.token!.secret);
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => facilitator.verify(payload, requirements)));
    expect(verdicts.filter((v) => v.isValid)).toHaveLength(1);
    expect(verdicts.filter((v) => v.invalidReason === 'token_in_use')).toHaveLength(9);
    await expect(agent.client.post(`/v1/intents/${intent.id}/cancel`, { reason: 'never mind' })).rejects.toMatchObject({ code: 'token_in_use', status: 409 });
    expect(await wallet.client.post(`/v1/wallet/intents/${intent.id}/cancel`, { reason: 'I said no' })).toMatchObject({ cancelled: 'token' });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({ success: false, errorReason: 'token_revoked' });
  });

  it('the hold lapses: a payment whose settle never came can be verified again a minute later', async () => {
    const requirements = requirementsFor(8_00);
    const payload = payloadFor(requirements, await grant(8_00));
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    await relay.ctx.db.query(`UPDATE tokens SET settling_until = now() - interval '1 second' WHERE secret_hash = $1`, [relay.ctx.vault.hash(payload.payload.token as string)]);
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
  });

  it('a merchant cannot keep a token held for ever: after three holds it must settle, and its agent may withdraw it', async () => {
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 9_00));
    const requirements = requirementsFor(9_00);
    const payload = payloadFor(requirements, intent.token!.secret);
    const lapse = () => relay.ctx.db.query(`UPDATE tokens SET settling_until = now() - interval '1 second' WHERE id = $1`, [intent.token!.id]);
    for (let hold = 0; hold < 3; hold++) {
      expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
      await lapse();
    }
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: false, invalidReason: 'token_holds_exhausted' });
    expect(await agent.client.post(`/v1/intents/${intent.id}/cancel`, { reason: 'the shop keeps me waiting' })).toMatchObject({ cancelled: 'token' });
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: false, invalidReason: 'token_revoked' });
  });

  it('text a charge would refuse (a NUL, a lone surrogate) in the requirements is refused at verify and settle, never a 500', async () => {
    const token = await grant(4_00);
    for (const reference of ['ord\u0000x', 'ord\uD83Dx']) {
      const requirements = requirementsFor(4_00, { extra: { reference } });
      expect(await facilitator.verify(payloadFor(requirements, token), requirements)).toMatchObject({ isValid: false, invalidReason: 'invalid_payment_requirements' });
      expect(await facilitator.settle(payloadFor(requirements, token), requirements)).toMatchObject({ success: false, errorReason: 'invalid_payment_requirements' });
    }
  });
});
