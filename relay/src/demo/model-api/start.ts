import { MERCHANT_ORIGIN_PROOF_PATH, type Merchant, type MerchantOriginProof, RelayHttpClient, signOriginProof, type Vendor } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { reachable } from '../shop.ts';
import { loadMerchantKey, type MerchantKey } from '../shop/merchant.ts';
import { createModelApiApp } from './app.ts';
import { CURRENCY, PRICES, VENDOR_NAME } from './prices.ts';

export const MODEL_KEY_FILE = 'demo-model-key.json';

export interface DemoModelApiOptions {
  relayUrl: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  host?: string;
  /** Routes paid per request (x402 `upto`), given the vendor's relay identity. */
  payPerRequest?: (vendor: { merchant: Merchant; key: MerchantKey }) => Promise<(app: Hono) => void>;
}

export interface DemoModelApi {
  url: string;
  vendor: Merchant;
  close(): Promise<void>;
}

/**
 * Starts "Demo Model Co.": a model vendor that registers with the relay under a persistent key,
 * registers its prices, and bills its chat-completion API through Token Pay.
 */
export async function startDemoModelApi(options: DemoModelApiOptions): Promise<DemoModelApi> {
  const key = await loadMerchantKey(resolve(options.dataDir), MODEL_KEY_FILE);
  let handle: (request: Request) => Response | Promise<Response> = () => new Response('the model API is starting', { status: 503 });
  let proof: MerchantOriginProof | undefined;
  const server = serve({
    fetch: (request) => (proof && new URL(request.url).pathname === MERCHANT_ORIGIN_PROOF_PATH ? Response.json(proof) : handle(request)),
    hostname: options.host ?? '127.0.0.1',
    port: options.port,
  });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const close = () => new Promise<void>((ok) => {
    server.close(() => ok());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
  const url = `http://${reachable(options.host ?? '127.0.0.1')}:${(server.address() as AddressInfo).port}`;
  try {
    proof = await signOriginProof(url, key);
    const self = new RelayHttpClient(options.relayUrl, { id: 'self', privateKey: key.privateKey });
    const vendor = await self.post<Merchant>('/v1/merchants', { name: VENDOR_NAME, publicKey: key.publicJwk, origins: [url], currency: CURRENCY, category: 'services' });
    const relay = new RelayHttpClient(options.relayUrl, { id: vendor.id, privateKey: key.privateKey });
    await relay.put<Vendor>('/v1/vendor/prices', { prices: PRICES });
    const payPerRequest = options.payPerRequest ? await options.payPerRequest({ merchant: vendor, key }) : undefined;
    handle = createModelApiApp({ relay, payPerRequest }).fetch;
    return { url, vendor, close };
  } catch (error) {
    await close();
    throw new Error(`the demo model API could not register with the relay at ${options.relayUrl}: ${(error as Error).message}`);
  }
}
