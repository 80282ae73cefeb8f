import {
  generateSigningKey, MERCHANT_ORIGIN_PROOF_PATH, type MerchantRegistered, type PublicJwk, RelayHttpClient, signOriginProof,
} from '@agentpay/protocol';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Relay } from '../src/relay.ts';
import type { Party } from './harness.ts';

export interface MerchantKey {
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A shop's origin for tests: a tiny HTTP server on 127.0.0.1 whose answer to
 * MERCHANT_ORIGIN_PROOF_PATH the test chooses (a proof, nothing, a redirect, …).
 */
export interface OriginServer {
  origin: string;
  /** Answer every request with `handler` from now on. */
  answer(handler: Handler): void;
  /** How many requests for the proof arrived. */
  hits(): number;
  close(): Promise<void>;
}

export async function startOriginServer(): Promise<OriginServer> {
  let handler: Handler = (_request, response) => response.writeHead(404).end();
  let hits = 0;
  const server = createServer((request, response) => {
    if (request.url === MERCHANT_ORIGIN_PROOF_PATH) hits++;
    handler(request, response);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (next) => { handler = next; },
    hits: () => hits,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** Serves `proof` as the proof file, JSON. */
export function serveJson(body: unknown): Handler {
  return (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The proof a merchant with `key` serves on `signedOrigin`. */
export async function proofOf(key: MerchantKey, signedOrigin: string): Promise<Handler> {
  return serveJson(await signOriginProof(signedOrigin, key));
}

/** Registers a merchant with a fresh key (or `key`) for `origins`, self-signed. */
export async function registerMerchant(
  relay: Relay,
  name: string,
  origins: string[],
  key?: MerchantKey,
): Promise<Party<MerchantRegistered> & { key: MerchantKey }> {
  const merchantKey = key ?? await generateSigningKey();
  const anon = new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
  const record = await anon.as({ id: 'self', privateKey: merchantKey.privateKey })
    .post<MerchantRegistered>('/v1/merchants', { name, publicKey: merchantKey.publicJwk, origins });
  const signer = { id: record.id, privateKey: merchantKey.privateKey };
  return { signer, client: anon.as(signer), record, key: merchantKey };
}

/** A shop that proves its origin: an origin server serving the proof of a fresh key, and that merchant registered. */
export async function provenShop(relay: Relay, name: string) {
  const server = await startOriginServer();
  const key = await generateSigningKey();
  server.answer(await proofOf(key, server.origin));
  const merchant = await registerMerchant(relay, name, [server.origin], key);
  return { server, merchant };
}
