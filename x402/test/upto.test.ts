import {
  type Actor, decodePaymentRequired, decodePaymentResponse, encodePaymentSignature, FACILITATOR_PATH, facilitatorAuthHeaders, type Intent,
  type Merchant, PAYMENT_REQUIRED_HEADER, PAYMENT_RESPONSE_HEADER, PAYMENT_SIGNATURE_HEADER, type SpendingPower, type Wallet,
} from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { HTTPFacilitatorClient } from '@x402/core/server';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { wrapFetchWithPayment } from '@x402/fetch';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../../relay/src/ledger/check.ts';
import type { Relay } from '../../relay/src/relay.ts';
import { relayNetwork } from '../../relay/src/x402/network.ts';
import { type Party, setMandate, setUpParties, startTestRelay, STORES } from '../../relay/test/harness.ts';
import { agentpayResourceServer, AgentPayScheme, setSettlementOverrides, x402ClientFor, x402Payments } from '../src/index.ts';

/**
 * x402's `upto` scheme on AgentPay's network: the vendor's 402 names a maximum, the agent's token
 * allows that maximum, and after serving the vendor settles what the request cost; the relay
 * charges that, never more, and gives the rest of the hold (and of the agent's budget) back.
 * The agent pays with the official client (`@x402/fetch`), the vendor is the official resource
 * server behind `x402Payments`, and the relay's facilitator is also called with the official
 * `HTTPFacilitatorClient`.
 */
describe.each(STORES)('x402 upto: pay up to a maximum, settle what was used (%s)', (store) => {
  let relay: Relay;
  let wallet: Party<Wallet>;
  let merchant: Party<Merchant>;
  let agent: Party<Actor>;
  let facilitator: HTTPFacilitatorClient;
  let network: `${string}:${string}`;
  let vendor: ReturnType<typeof serve>;
  let origin: string;
  let served = 0;

  beforeAll(async () => {
    relay = await startTestRelay(store);
    ({ wallet, merchant, agent } = await setUpParties(relay));
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    const facilitatorUrl = new URL(FACILITATOR_PATH, relay.httpUrl).href;
    facilitator = new HTTPFacilitatorClient({ url: facilitatorUrl, createAuthHeaders: facilitatorAuthHeaders(merchant.signer, facilitatorUrl, () => relay.ctx.now().getTime()) });
    network = relayNetwork(relay.ctx) as `${string}:${string}`;

    // The vendor: a metered route whose price is the most one request may cost (¥5.00); the
    // handler says what this request cost (here the query's `cost`, in minor units).
    const server = await agentpayResourceServer({
      facilitatorUrl,
      merchant: merchant.signer,
      routes: (net) => ({
        'GET /generate': {
          accepts: { scheme: 'upto', network: net, payTo: merchant.record.id, price: '5.00 CNY', maxTimeoutSeconds: 60 },
          description: 'Generated text, charged per token',
        },
      }),
    });
    const app = new Hono();
    app.get('/generate', x402Payments(server), (c) => {
      served++;
      const cost = c.req.query('cost');
      if (cost !== undefined) setSettlementOverrides(c, { amount: cost });
      return c.json({ text: 'A poem about tea.', cost });
    });
    vendor = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((ok) => vendor.once('listening', ok));
    origin = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    // The vendor has proven its origin, as a registered shop would: the agent's payments there fit the mandate.
    await relay.ctx.db.query('UPDATE merchants SET origins = $2::jsonb, proven_origins = $2::jsonb WHERE id = $1', [merchant.record.id, JSON.stringify([origin])]);
  });
  afterAll(async () => {
    vendor?.close();
    await relay?.close();
  });

  /** The official client with AgentPay's schemes, as this agent, for the vendor's origin; the scheme tells which payments it made. */
  function payer() {
    const scheme = new AgentPayScheme(agent.client, { origin });
    let signature: string | undefined;
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      signature = request.headers.get(PAYMENT_SIGNATURE_HEADER) ?? signature;
      return fetch(request);
    };
    const pay = wrapFetchWithPayment(recording, x402ClientFor(scheme, ['CNY']));
    return { pay, scheme, signature: () => signature, intentId: () => [...scheme.issuedIntents].at(-1)! };
  }
  const spent = async () => (await agent.client.get<SpendingPower>('/v1/agents/me')).mandate!.budget!.spent.minor;
  const chargesOf = (intentId: string) =>
    relay.ctx.db.query<{ id: string; amount_minor: number }>('SELECT id, amount_minor FROM charges WHERE intent_id = $1', [intentId]);
  const tokenOf = async (intentId: string) =>
    (await relay.ctx.db.query<{ status: string }>('SELECT status FROM tokens WHERE intent_id = $1', [intentId]))[0]!.status;
  const ledgerProblems = async () => (await checkLedger(relay.ctx.db)).problems;

  it('/supported lists upto beside exact on the relay\'s network, and the 402 names the maximum', async () => {
    expect(await facilitator.getSupported()).toEqual({
      kinds: [{ x402Version: 2, scheme: 'exact', network }, { x402Version: 2, scheme: 'upto', network }], extensions: [], signers: {},
    });
    const unpaid = await fetch(`${origin}/generate`);
    expect(unpaid.status).toBe(402);
    expect(decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER)).accepts).toEqual([
      { scheme: 'upto', network, amount: '500', asset: 'CNY', payTo: merchant.record.id, maxTimeoutSeconds: 60, extra: {} },
    ]);
  });

  it('an agent pays a request of up to ¥5.00 that cost ¥1.23: ¥1.23 is charged, the rest released, its budget debited ¥1.23', async () => {
    const before = await spent();
    const { pay, intentId } = payer();
    const paid = await pay(`${origin}/generate?cost=123`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ text: 'A poem about tea.', cost: '123' });
    // What the handler asked to settle was for the middleware only.
    expect(paid.headers.get('settlement-overrides')).toBeNull();
    const settlement = decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER));
    expect(settlement).toEqual({ success: true, transaction: expect.stringMatching(/^chg_/), network, payer: agent.record.id, amount: '123' });

    // The user's mandate decided on the maximum, and the payment says so.
    const intent = await agent.client.get<Intent>(`/v1/intents/${intentId()}`);
    expect(intent).toMatchObject({ status: 'approved', amount: { minor: 500, currency: 'CNY' } });
    expect(intent.description).toMatch(/^Up to 5\.00 CNY/);
    expect(intent.lineItems).toEqual([{ name: expect.stringMatching(/^Up to 5\.00 CNY: Generated text, charged per token$/), quantity: 1, unitMinor: 500 }]);
    expect(await chargesOf(intent.id)).toEqual([{ id: settlement.transaction, amount_minor: 123 }]);
    expect(await spent()).toBe(before + 123);
    expect(await ledgerProblems()).toEqual([]);
  });

  it('a settle above the maximum is refused by name: the answer is a 402 and nothing is charged', async () => {
    const { pay, intentId } = payer();
    const before = served;
    const refused = await pay(`${origin}/generate?cost=501`);
    expect(served).toBe(before + 1);
    expect(refused.status).toBe(402);
    expect(decodePaymentResponse(refused.headers.get(PAYMENT_RESPONSE_HEADER))).toMatchObject({ success: false, errorReason: 'upto_amount_exceeds_maximum' });
    expect(await chargesOf(intentId())).toEqual([]);
    expect(await tokenOf(intentId())).toBe('active');
    expect(await ledgerProblems()).toEqual([]);
  });

  it('a settle of 0 charges nothing: the token ends, its whole hold and budget go back, and its payment cannot be used again', async () => {
    const before = await spent();
    const { pay, intentId, signature } = payer();
    const paid = await pay(`${origin}/generate?cost=0`);
    expect(paid.status).toBe(200);
    expect(decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER))).toEqual({ success: true, transaction: '', network, payer: agent.record.id, amount: '0' });
    expect(await chargesOf(intentId())).toEqual([]);
    expect(await tokenOf(intentId())).toBe('revoked');
    expect(await spent()).toBe(before);
    expect(await ledgerProblems()).toEqual([]);

    const replay = await fetch(`${origin}/generate?cost=0`, { headers: { [PAYMENT_SIGNATURE_HEADER]: signature()! } });
    expect(replay.status).toBe(402);
    expect(decodePaymentRequired(replay.headers.get(PAYMENT_REQUIRED_HEADER)).error).toMatch(/token_already_used|already settled/);
  });

  it('a settle may name a share of the maximum; replaying the settled payment is refused and charges nothing more', async () => {
    const { pay, intentId, signature } = payer();
    const paid = await pay(`${origin}/generate?cost=${encodeURIComponent('50%')}`);
    expect(paid.status).toBe(200);
    expect(decodePaymentResponse(paid.headers.get(PAYMENT_RESPONSE_HEADER))).toMatchObject({ success: true, amount: '250' });
    const servedBefore = served;
    const replay = await fetch(`${origin}/generate?cost=100`, { headers: { [PAYMENT_SIGNATURE_HEADER]: signature()! } });
    expect(replay.status).toBe(402);
    expect(decodePaymentRequired(replay.headers.get(PAYMENT_REQUIRED_HEADER)).error).toMatch(/token_already_used|already charged/);
    expect(served).toBe(servedBefore);
    expect((await chargesOf(intentId())).map((c) => c.amount_minor)).toEqual([250]);
  });

  it('ten copies of one upto payment sent to the vendor at once: one is served and charged, nine get 402', async () => {
    const required = decodePaymentRequired((await fetch(`${origin}/generate`)).headers.get(PAYMENT_REQUIRED_HEADER));
    const grant = await grantUpto(500);
    const signature = encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted: required.accepts[0]!, payload: { token: grant.secret } });
    const before = served;
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${origin}/generate?cost=77`, { headers: { [PAYMENT_SIGNATURE_HEADER]: signature } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(402)]);
    expect(served).toBe(before + 1);
    expect((await chargesOf(grant.intentId)).map((c) => c.amount_minor)).toEqual([77]);
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('the facilitator, called with the official HTTPFacilitatorClient', () => {
    const upto = (amount: string, overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
      scheme: 'upto', network, amount, asset: 'CNY', payTo: merchant.record.id, maxTimeoutSeconds: 60, extra: {}, ...overrides,
    });
    const payloadFor = (accepted: PaymentRequirements, token: string): PaymentPayload =>
      ({ x402Version: 2, resource: { url: `${origin}/generate` }, accepted, payload: { token } });
    const settle = (payload: PaymentPayload, requirements: PaymentRequirements) =>
      facilitator.settle(payload, requirements).catch((error: { errorReason?: string }) => error as { success?: boolean; errorReason?: string });

    it('verifies a token for the maximum (only that maximum), settles the actual amount once', async () => {
      const { secret, intentId } = await grantUpto(500);
      expect(await facilitator.verify(payloadFor(upto('400'), secret), upto('400'))).toMatchObject({ isValid: false, invalidReason: 'token_amount_mismatch' });
      const payload = payloadFor(upto('500'), secret);
      expect(await facilitator.verify(payload, upto('500'))).toEqual({ isValid: true, payer: agent.record.id });
      const settled = await facilitator.settle(payload, upto('321'));
      expect(settled).toEqual({ success: true, payer: agent.record.id, transaction: expect.stringMatching(/^chg_/), network, amount: '321' });
      expect(await chargesOf(intentId)).toEqual([{ id: settled.transaction, amount_minor: 321 }]);
      expect(await settle(payload, upto('1'))).toMatchObject({ success: false, errorReason: 'token_already_used' });
    });

    it('refuses a settle above the maximum, or of an amount that is not a whole number, charging nothing; a right one then settles', async () => {
      const { secret, intentId } = await grantUpto(500);
      const payload = payloadFor(upto('500'), secret);
      expect(await settle(payload, upto('501'))).toMatchObject({ success: false, errorReason: 'upto_amount_exceeds_maximum' });
      for (const amount of ['-1', '1.5', '', '01']) {
        expect(await settle(payload, upto(amount))).toMatchObject({ success: false, errorReason: 'invalid_payment_requirements' });
      }
      expect(await chargesOf(intentId)).toEqual([]);
      expect(await settle(payload, upto('500'))).toMatchObject({ success: true, amount: '500' });
    });

    it('refuses an exact payment settled under upto requirements (and the reverse): the scheme accepted is the one settled', async () => {
      const { secret, intentId } = await grantUpto(500);
      const exact = upto('500', { scheme: 'exact' });
      expect(await settle(payloadFor(exact, secret), upto('100'))).toMatchObject({ success: false, errorReason: 'accepted_mismatch' });
      expect(await settle(payloadFor(upto('500'), secret), { ...exact, amount: '100' })).toMatchObject({ success: false, errorReason: 'accepted_mismatch' });
      expect(await chargesOf(intentId)).toEqual([]);
    });

    it('ten settles of one upto payment at once: one charge; ten settles at 0: one success, the rest already used', async () => {
      const charged = await grantUpto(500);
      const answers = await Promise.all(Array.from({ length: 10 }, () => settle(payloadFor(upto('500'), charged.secret), upto('199'))));
      expect(answers.filter((a) => a.success)).toHaveLength(1);
      expect(answers.filter((a) => a.errorReason === 'token_already_used')).toHaveLength(9);
      expect((await chargesOf(charged.intentId)).map((c) => c.amount_minor)).toEqual([199]);

      const before = await spent();
      const nothing = await grantUpto(500);
      expect(await spent()).toBe(before + 500);
      const zeros = await Promise.all(Array.from({ length: 10 }, () => settle(payloadFor(upto('500'), nothing.secret), upto('0'))));
      expect(zeros.filter((a) => a.success)).toEqual([{ success: true, transaction: '', network, payer: agent.record.id, amount: '0' }]);
      expect(zeros.filter((a) => a.errorReason === 'token_already_used')).toHaveLength(9);
      expect(await chargesOf(nothing.intentId)).toEqual([]);
      expect(await spent()).toBe(before);
      expect(await ledgerProblems()).toEqual([]);
    });
  });

  /** A token for an upto payment of at most `minor`, granted to the agent directly (the relay's API, no 402). */
  async function grantUpto(minor: number) {
    const intent = await agent.client.post<Intent>('/v1/intents', {
      merchantId: merchant.record.id, amount: { minor, currency: 'CNY' }, lineItems: [{ name: 'Up to', quantity: 1, unitMinor: minor }], channel: 'api',
    });
    if (!intent.token) throw new Error(`not granted: ${JSON.stringify(intent.decision)}`);
    return { secret: intent.token.secret, intentId: intent.id };
  }
});
