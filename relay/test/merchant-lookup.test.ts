import {
  generateSigningKey, type Intent, type Merchant, type MerchantWithKey, RelayHttpClient, signCanonical, verifyCanonical,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { type OriginServer, proofOf, provenShop, registerMerchant, startOriginServer } from './origin-proof.ts';

describe.each(STORES)('merchant lookup for wallets on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  let anon: RelayHttpClient;
  /** The shop's own origin, which serves the shop's proof. */
  let shop: OriginServer;
  let port: string;

  beforeAll(async () => {
    relay = await startTestRelay(store);
    parties = await setUpParties(relay);
    const proven = await provenShop(relay, 'Demo Shop');
    shop = proven.server;
    port = new URL(shop.origin).port;
    parties.merchant = proven.merchant;
    anon = new RelayHttpClient(relay.httpUrl, undefined);
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
    });
  });
  afterAll(async () => {
    await shop.close();
    await dropSchema(relay);
  });

  const lookup = (origin: string) => anon.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`);

  it.each([
    '',
    '/',
    '/checkout?cart=1',
  ])('finds the merchant that proved its origin, looked up as origin + %j', async (rest) => {
    const { merchants } = await lookup(shop.origin.replace('http:', 'HTTP:') + rest);
    expect(merchants.map((m) => m.id)).toEqual([parties.merchant.record.id]);
    expect(merchants[0]).toMatchObject({ name: 'Demo Shop', origins: [shop.origin], provenOrigins: [shop.origin] });
  });

  it('matches origins exactly: another port, scheme or host finds nothing', async () => {
    for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await lookup(origin)).merchants).toEqual([]);
    }
  });

  it('normalises registered origins too (default port dropped, case folded), claimed and proven', async () => {
    const claimed = await registerMerchant(relay, 'Tea House', ['HTTPS://Tea.Example:443/shop']);
    expect(claimed.record).toMatchObject({ origins: ['https://tea.example'], provenOrigins: [] });
    // Only claimed (nothing serves a proof there): not found by it.
    expect((await lookup('https://tea.example')).merchants).toEqual([]);

    const annex = await startOriginServer();
    try {
      const key = await generateSigningKey();
      annex.answer(await proofOf(key, annex.origin));
      const proven = await registerMerchant(relay, 'Tea Annex', [`${annex.origin.replace('http:', 'HTTP:')}/annex`], key);
      expect(proven.record).toMatchObject({ origins: [annex.origin], provenOrigins: [annex.origin] });
      expect((await lookup(annex.origin)).merchants.map((m) => m.id)).toEqual([proven.record.id]);
    } finally {
      await annex.close();
    }
  });

  it('refuses a missing or non-http origin clearly', async () => {
    await expect(anon.get('/v1/merchants')).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('origin') });
    await expect(lookup('chrome-extension://abc')).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('not an http(s) origin') });
  });

  it("serves a merchant with its public key, which verifies the merchant's signatures", async () => {
    const merchant = await anon.get<MerchantWithKey>(`/v1/merchants/${parties.merchant.record.id}`);
    expect(merchant).toMatchObject({ id: parties.merchant.record.id, publicKey: { kty: 'EC', crv: 'P-256' } });
    expect(Object.keys(merchant.publicKey).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const signed = await signCanonical({ pay: 'me' }, parties.merchant.signer.privateKey, merchant.id);
    expect((await verifyCanonical(signed, merchant.publicKey)).payload).toEqual({ pay: 'me' });
    await expect(anon.get('/v1/merchants/mer_nobody')).rejects.toMatchObject({ code: 'unknown_merchant', status: 404 });
  });

  it('sends a checkout at an origin the merchant never registered to confirmation, naming both', async () => {
    const { agent, merchant } = parties;
    const good = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00, { channel: 'browser', context: { origin: `${shop.origin}/` } }));
    expect(good.status).toBe('approved');
    expect(good.decision.risk).toEqual([]);

    const odd = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00, { channel: 'browser', context: { origin: 'https://tea-shop.evil.example' } }));
    expect(odd.status).toBe('pending_confirmation');
    expect(odd.decision.risk).toEqual([
      { code: 'origin_mismatch', message: `the checkout was at https://tea-shop.evil.example, but merchant ${merchant.record.id} has proven only ${shop.origin} as its own` },
    ]);
    expect(odd.token).toBeUndefined();

    // No origin given: nothing to compare, no note.
    const none = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
    expect(none.status).toBe('approved');
  });

  it('lists the lookup routes in the OpenAPI document', async () => {
    const doc = await anon.get<{ paths: Record<string, Record<string, { parameters: { name: string }[] }>> }>('/v1/openapi.json');
    expect(doc.paths['/v1/merchants']!.get!.parameters.map((p) => p.name)).toContain('origin');
    expect(doc.paths['/v1/merchants/{id}']!.get).toBeDefined();
    for (const path of ['/v1/wallet', '/v1/wallet/step-up', '/v1/wallet/passkey']) expect(doc.paths[path]).toBeDefined();
  });
});
