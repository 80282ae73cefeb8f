import {
  type Actor, agentSignedFetch, checkRequestSignature, SIGNATURE_DIRECTORY_MEDIA_TYPE, SIGNATURE_DIRECTORY_PATH, type Wallet,
} from '@agentpay/protocol';
import { jwkToKeyID, REQUEST_COMPONENTS, signatureHeaders, verify } from 'web-bot-auth';
import { Ed25519Signer, helpers, verifierFromJWK } from 'web-bot-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedAgents } from '../src/demo/shop/signed-agents.ts';
import type { Relay } from '../src/relay.ts';
import { type Party, setUpParties, startTestRelay } from './harness.ts';
import { type ShopWorld, startShopWorld } from './shop-world.ts';

/** Agents' requests to merchants, signed by the relay (Web Bot Auth) and checked with Cloudflare's own verifier. */
describe('Web Bot Auth: the relay signs for its agents', () => {
  let relay: Relay;
  let agent: Party<Actor>;
  let wallet: Party<Wallet>;
  let directoryKey: JsonWebKey & { kid: string };

  beforeAll(async () => {
    relay = await startTestRelay('pglite');
    ({ agent, wallet } = await setUpParties(relay));
    const directory = await fetch(`${relay.httpUrl}${SIGNATURE_DIRECTORY_PATH}`);
    expect(directory.headers.get('content-type')).toBe(SIGNATURE_DIRECTORY_MEDIA_TYPE);
    [directoryKey] = ((await directory.json()) as { keys: (JsonWebKey & { kid: string })[] }).keys as [JsonWebKey & { kid: string }];
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** The request as the merchant receives it, signed by the relay for the agent. */
  async function signed(url: string, method = 'GET'): Promise<Request> {
    let sent: Request | undefined;
    await agentSignedFetch(agent.client, async (request) => {
      sent = request as Request;
      return new Response('ok');
    })(url, { method });
    return sent!;
  }

  it('publishes one Ed25519 key, named by its RFC 7638 thumbprint', async () => {
    expect(directoryKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String) });
    expect(directoryKey.kid).toBe(await jwkToKeyID(directoryKey as never, helpers.WEBCRYPTO_SHA256, helpers.BASE64URL_DECODE));
  });

  it("Cloudflare's verifier accepts the relay's signature, tagged web-bot-auth, naming the relay as Signature-Agent", async () => {
    const request = await signed('https://tea.example/api/orders?x=1', 'POST');
    expect(request.headers.get('signature-agent')).toBe(`"${relay.httpUrl}"`);
    expect(request.headers.get('signature-input')).toMatch(/^sig1=\("@authority" "@method" "@path" "signature-agent"\);created=\d+;keyid="[^"]+";alg="ed25519";expires=\d+;nonce="[^"]+";tag="web-bot-auth"$/);
    await expect(verify(request, await verifierFromJWK(directoryKey))).resolves.toBeUndefined();
    const moved = new Request('https://tea.example/api/refunds', { method: 'POST', headers: request.headers });
    await expect(verify(moved, await verifierFromJWK(directoryKey))).rejects.toThrow();
  });

  it("we accept a signature made by Cloudflare's signer, and refuse it altered", async () => {
    const key = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', key.privateKey);
    const request = new Request('https://tea.example/api/products', { headers: { 'signature-agent': '"https://agents.example"' } });
    const now = new Date();
    const headers = await signatureHeaders(request, await Ed25519Signer.fromJWK(jwk), { created: now, expires: new Date(now.getTime() + 60_000), components: REQUEST_COMPONENTS });
    request.headers.set('signature-input', headers['Signature-Input']);
    request.headers.set('signature', headers.Signature);
    const publicKey = key.publicKey;
    const check = {
      now: Math.floor(Date.now() / 1000),
      required: [{ name: '@authority' }],
      verify: (base: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>) => crypto.subtle.verify('Ed25519', publicKey, signature, base),
    };
    await expect(checkRequestSignature({ method: 'GET', url: request.url, headers: request.headers }, check)).resolves.toMatchObject({ params: { tag: 'web-bot-auth' } });
    await expect(checkRequestSignature({ method: 'GET', url: 'https://evil.example/api/products', headers: request.headers }, check)).rejects.toThrow(/does not match/);
  });

  it('a revoked agent gets no signature from then on', async () => {
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'revoked' });
    await expect(signed('https://tea.example/')).rejects.toMatchObject({ code: 'agent_revoked' });
  });
});

describe("Web Bot Auth: the demo shop's check", () => {
  let world: ShopWorld;
  beforeAll(async () => {
    world = await startShopWorld(100_00);
  });
  afterAll(async () => {
    await world?.close();
  });

  const signFor = async (url: string) => {
    let sent: Request | undefined;
    await agentSignedFetch(world.agent.client, async (request) => { sent = request as Request; return new Response(); })(url);
    return sent!.headers;
  };

  it('serves a signed request once: the same signature again is a replay and refused', async () => {
    const url = `${world.shop.url}/api/products`;
    const headers = await signFor(url);
    expect((await fetch(url, { headers })).status).toBe(200);
    const replay = await fetch(url, { headers });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'bad_agent_signature', message: expect.stringMatching(/replayed/) } });
  });

  it('refuses a signed request sent somewhere it was not signed for, or signed by another signature agent', async () => {
    const headers = await signFor(`${world.shop.url}/api/products`);
    const moved = await fetch(`${world.shop.url}/api/tea-guide`, { headers });
    expect(moved.status).toBe(401);
    expect(await moved.json()).toMatchObject({ error: { message: expect.stringMatching(/does not match/) } });
    const other = new Headers(await signFor(`${world.shop.url}/api/products`));
    other.set('signature-agent', '"https://someone-else.example"');
    expect((await fetch(`${world.shop.url}/api/products`, { headers: other })).status).toBe(401);
  });

  it('reads the relay\'s directory at most once a minute however many unknown keys requests name', async () => {
    let reads = 0;
    const agents = new SignedAgents(world.relay.httpUrl);
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/.well-known/http-message-signatures-directory')) reads++;
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      const headers = await signFor(`${world.shop.url}/api/products`);
      for (let i = 0; i < 20; i++) {
        const forged = new Headers(headers);
        forged.set('signature-input', headers.get('signature-input')!.replace(/keyid="[^"]+"/, `keyid="unknown-${i}"`));
        await expect(agents.check(new Request(`${world.shop.url}/api/products`, { headers: forged }))).rejects.toThrow(/has no key unknown-/);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(reads).toBe(1);
  });

  it('a relay it cannot reach makes a signed request refused (401), not a 500', async () => {
    const agents = new SignedAgents('http://127.0.0.1:9');
    const headers = await signFor(`${world.shop.url}/api/products`);
    headers.set('signature-agent', '"http://127.0.0.1:9"');
    await expect(agents.check(new Request(`${world.shop.url}/api/products`, { headers }))).rejects.toThrow(/directory could not be read/);
  });

  it('serves an unsigned request as anonymous', async () => {
    expect((await fetch(`${world.shop.url}/api/products`)).status).toBe(200);
  });
});
