import { generateSigningKey, type Intent, type Merchant, MERCHANT_ORIGIN_PROOF_PATH, RelayHttpClient, signOriginProof } from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { type OriginServer, proofOf, provenShop, registerMerchant, serveJson, startOriginServer } from './origin-proof.ts';

/**
 * A merchant's origin counts only once the merchant proves it by serving, on
 * that origin, a proof signed by its registered key. Someone who merely claims
 * a shop's origin (and copies its name) cannot make the shop's checkouts
 * ambiguous, and its own payments at that origin are flagged origin_mismatch.
 */
describe.each(STORES)('merchant origins on %s', (store) => {
  let relay: Relay;
  const servers: OriginServer[] = [];
  const server = async () => {
    const started = await startOriginServer();
    servers.push(started);
    return started;
  };

  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => dropSchema(relay));

  const lookup = async (origin: string) =>
    (await new RelayHttpClient(relay.httpUrl, undefined).get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`)).merchants.map((m) => m.id);

  it('proves an origin that serves a proof signed by the merchant key, and finds the merchant there', async () => {
    const { server: shop, merchant } = await provenShop(relay, 'Tea House');
    servers.push(shop);
    expect(merchant.record).toMatchObject({ origins: [shop.origin], provenOrigins: [shop.origin], originChecks: [{ origin: shop.origin, proven: true }] });
    expect(await lookup(shop.origin)).toEqual([merchant.record.id]);
    expect(await new RelayHttpClient(relay.httpUrl, undefined).get<Merchant>(`/v1/merchants/${merchant.record.id}`)).toMatchObject({ provenOrigins: [shop.origin] });
  });

  it('follows a redirect within the origin', async () => {
    const shop = await server();
    const key = await generateSigningKey();
    const proof = await proofOf(key, shop.origin);
    shop.answer((request, response) => {
      if (request.url === MERCHANT_ORIGIN_PROOF_PATH) response.writeHead(302, { location: '/proofs/current.json' }).end();
      else proof(request, response);
    });
    const { record } = await registerMerchant(relay, 'Tea House', [shop.origin], key);
    expect(record.provenOrigins).toEqual([shop.origin]);
  });

  type Key = Awaited<ReturnType<typeof generateSigningKey>>;
  const unproven: [string, (shop: OriginServer, key: Key) => Promise<void>, RegExp][] = [
    ['nothing is served', async (shop) => shop.answer((_q, r) => r.writeHead(404).end()), /no proof at .* answered 404/],
    ['nothing listens', async (shop) => { await shop.close(); }, /cannot fetch .*ECONNREFUSED/],
    ['the proof is signed by another key', async (shop) => shop.answer(await proofOf(await generateSigningKey(), shop.origin)), /not signed by this merchant's key/],
    ['the proof is for another origin', async (shop, key) => shop.answer(await proofOf(key, 'https://tea.example')), /is for "https:\/\/tea\.example"/],
    ['the proof names another key', async (shop, key) => {
      const other = await generateSigningKey();
      shop.answer(serveJson(await signOriginProof(shop.origin, { privateKey: key.privateKey, publicJwk: other.publicJwk })));
    }, /names another key/],
    ['the file is not JSON', async (shop) => shop.answer((_q, r) => r.writeHead(200).end('<html>welcome</html>')), /is not JSON/],
    ['the proof redirects to another origin', async (shop, key) => {
      // The other origin serves a proof that would verify, but it is not the origin's own answer.
      const elsewhere = await server();
      elsewhere.answer(await proofOf(key, shop.origin));
      shop.answer((_q, r) => r.writeHead(302, { location: elsewhere.origin + MERCHANT_ORIGIN_PROOF_PATH }).end());
    }, /redirects to http:\/\/127\.0\.0\.1:\d+; a proof must be served by the origin itself/],
    ['the file is too large', async (shop, key) => {
      const proof = await signOriginProof(shop.origin, key);
      shop.answer((_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...proof, padding: 'x'.repeat(64 * 1024) })));
    }, /larger than 16384 bytes/],
    ['the file is too large and says no length', async (shop) => {
      shop.answer((_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.write(' '.repeat(12 * 1024));
        r.end(' '.repeat(12 * 1024));
      });
    }, /larger than 16384 bytes/],
    ['the origin never finishes answering', async (shop) => {
      shop.answer((_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.write('{"jws": "'); // and nothing more, ever
      });
    }, /did not send its proof within 3000 ms/],
  ];

  it.each(unproven)('registers but does not prove the origin when %s, and says why', async (_what, arrange, problem) => {
    const shop = await server();
    const key = await generateSigningKey();
    await arrange(shop, key);
    const { record } = await registerMerchant(relay, 'Tea House', [shop.origin], key);
    expect(record.origins).toEqual([shop.origin]);
    expect(record.provenOrigins).toEqual([]);
    expect(record.originChecks).toEqual([{ origin: shop.origin, proven: false, problem: expect.stringMatching(problem) }]);
    expect(await lookup(shop.origin)).toEqual([]);
  });

  it("a squatter with the shop's origin and name never blocks the shop's checkouts, whichever registered first", async () => {
    const shop = await server();
    const squatterFirst = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin]);
    const key = await generateSigningKey();
    shop.answer(await proofOf(key, shop.origin));
    const owner = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin], key);
    const squatterLater = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin]);
    expect(squatterFirst.record.provenOrigins).toEqual([]);
    expect(squatterLater.record.provenOrigins).toEqual([]);
    expect(squatterLater.record.originChecks[0]!.problem).toMatch(/not signed by this merchant's key/);
    expect(await lookup(shop.origin)).toEqual([owner.record.id]);
  });

  it("a squatter's own payments at the shop's origin are held as origin_mismatch; the shop's are not", async () => {
    const { server: shop, merchant: owner } = await provenShop(relay, 'Demo Tea Shop');
    servers.push(shop);
    const squatter = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin]);
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [owner.record.id, squatter.record.id],
    });
    const at = { channel: 'browser', context: { origin: `${shop.origin}/checkout` } };

    const paid = await agent.client.post<Intent>('/v1/intents', cart(owner.record.id, 5_00, at));
    expect(paid.status).toBe('approved');
    expect(paid.decision.risk).toEqual([]);

    const held = await agent.client.post<Intent>('/v1/intents', cart(squatter.record.id, 5_00, at));
    expect(held.status).toBe('pending_confirmation');
    expect(held.token).toBeUndefined();
    expect(held.decision.risk).toEqual([{
      code: 'origin_mismatch',
      message: `the checkout was at ${shop.origin}, but merchant ${squatter.record.id} has proven no origin as its own`,
    }]);

    // A merchant whose only origin is unproven (as in most tests here) is held the same way at that origin.
    const device = await addActor(relay, wallet.client);
    await setMandate(wallet, device.record.id, {
      kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [squatter.record.id],
    });
    const alsoHeld = await device.client.post<Intent>('/v1/intents', cart(squatter.record.id, 5_00, at));
    expect(alsoHeld.decision.risk.map((r) => r.code)).toEqual(['origin_mismatch']);
  });

  it('a site two merchants have proven (a shop registered again under a new key) asks the user, whatever the mandate allows', async () => {
    const shop = await server();
    const oldKey = await generateSigningKey();
    shop.answer(await proofOf(oldKey, shop.origin));
    const before = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin], oldKey);
    const newKey = await generateSigningKey();
    shop.answer(await proofOf(newKey, shop.origin));
    const now = await registerMerchant(relay, 'Demo Tea Shop', [shop.origin], newKey);
    expect(await lookup(shop.origin)).toEqual([before.record.id, now.record.id]);
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [before.record.id, now.record.id],
    });
    const at = { channel: 'browser', context: { origin: `${shop.origin}/checkout` } };

    // A client that looked the site up before the second registration still names the first merchant.
    for (const merchant of [before, now]) {
      const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00, at));
      expect(held.status).toBe('pending_confirmation');
      expect(held.token).toBeUndefined();
      expect(held.decision.risk).toEqual([{ code: 'origin_shared', message: `${shop.origin} has been proven by another merchant as well; make sure this is the one you mean to pay` }]);
    }
    // Elsewhere (no origin said, as a device's payment) the budget still pays.
    expect((await agent.client.post<Intent>('/v1/intents', cart(now.record.id, 5_00))).status).toBe('approved');
  });

  it('re-checks origins on request (signed by the merchant only), and on every change of registration', async () => {
    const shop = await server();
    const key = await generateSigningKey();
    const merchant = await registerMerchant(relay, 'Tea House', [shop.origin], key);
    expect(merchant.record.provenOrigins).toEqual([]);

    shop.answer(await proofOf(key, shop.origin));
    const stranger = await registerMerchant(relay, 'Stranger', []);
    await expect(stranger.client.post(`/v1/merchants/${merchant.record.id}/origins/verify`, undefined))
      .rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(await lookup(shop.origin)).toEqual([]);

    const verified = await merchant.client.post<Merchant>(`/v1/merchants/${merchant.record.id}/origins/verify`, undefined);
    expect(verified).toMatchObject({ provenOrigins: [shop.origin], originChecks: [{ origin: shop.origin, proven: true }] });
    expect(await lookup(shop.origin)).toEqual([merchant.record.id]);

    // Registering again (same key) with another origin proves afresh: the old origin no longer counts.
    const moved = await registerMerchant(relay, 'Tea House', ['https://tea.invalid'], key);
    expect(moved.record).toMatchObject({ id: merchant.record.id, origins: ['https://tea.invalid'], provenOrigins: [] });
    expect(await lookup(shop.origin)).toEqual([]);

    // A proof taken down is noticed on the next check.
    const back = await registerMerchant(relay, 'Tea House', [shop.origin], key);
    expect(back.record.provenOrigins).toEqual([shop.origin]);
    shop.answer((_q, r) => r.writeHead(410).end());
    const gone = await merchant.client.post<Merchant>(`/v1/merchants/${merchant.record.id}/origins/verify`, undefined);
    expect(gone.provenOrigins).toEqual([]);
    expect(await lookup(shop.origin)).toEqual([]);
  });
});
