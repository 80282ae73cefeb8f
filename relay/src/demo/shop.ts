import { FACILITATOR_PATH, MERCHANT_ORIGIN_PROOF_PATH, type Merchant, type MerchantOriginProof, RelayHttpClient, signOriginProof } from '@agentpay/protocol';
import { agentpayResourceServer } from '@agentpay/x402';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createShopApp } from './shop/app.ts';
import { paidRoutes } from './shop/checkout/http402.ts';
import { SignedAgents } from './shop/signed-agents.ts';
import { chargeCardWith, chargeWith, loadMerchantKey, readChargeWith, registerShop } from './shop/merchant.ts';
import { OrderBook } from './shop/orders.ts';

export interface DemoShopOptions {
  /** The relay the shop charges through, e.g. http://127.0.0.1:8787 */
  relayUrl: string;
  /** 0 picks a free port. */
  port: number;
  /** Where the shop keeps its merchant key (demo-shop-key.json). */
  dataDir: string;
  host?: string;
}

export interface DemoShop {
  /** Base URL of the shop, also its registered origin. */
  url: string;
  merchant: Merchant;
  orders: OrderBook;
  close(): Promise<void>;
}

/**
 * Starts "Demo Tea Shop": a merchant that registers itself with the relay
 * under a persistent key, sells tea to people and agents, and charges the
 * tokens agents hand it through the relay's merchant API.
 */
export async function startDemoShop(options: DemoShopOptions): Promise<DemoShop> {
  const key = await loadMerchantKey(resolve(options.dataDir));
  const host = options.host ?? '127.0.0.1';

  // Listen first: with port 0 the origin to register is known only once bound.
  let handle: (request: Request) => Response | Promise<Response> = () => new Response('the shop is starting', { status: 503 });
  // The proof that this origin is the shop's is served from the start: the relay fetches it while the shop registers.
  let proof: MerchantOriginProof | undefined;
  const server = serve({
    fetch: (request) => (proof && new URL(request.url).pathname === MERCHANT_ORIGIN_PROOF_PATH ? Response.json(proof) : handle(request)),
    hostname: host,
    port: options.port,
  });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const close = () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      // A browser's open connections (a checkout page still loading, keep-alive) must not keep Ctrl+C waiting.
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  const url = `http://${reachable(host)}:${(server.address() as AddressInfo).port}`;

  let merchant: Merchant;
  try {
    proof = await signOriginProof(url, key);
    merchant = await registerShop(options.relayUrl, key, url);
  } catch (error) {
    await close();
    throw new Error(`the demo shop could not register with the relay at ${options.relayUrl}: ${(error as Error).message}`);
  }
  const orders = new OrderBook(merchant.id);
  const relay = new RelayHttpClient(options.relayUrl, { id: merchant.id, privateKey: key.privateKey });
  let x402;
  try {
    x402 = await agentpayResourceServer({
      facilitatorUrl: new URL(FACILITATOR_PATH, options.relayUrl).href,
      merchant: { id: merchant.id, privateKey: key.privateKey },
      routes: (network) => paidRoutes(network, orders),
    });
  } catch (error) {
    await close();
    throw new Error(`the demo shop could not set up x402 with the relay at ${options.relayUrl}: ${(error as Error).message}`);
  }
  handle = createShopApp({
    merchant, orders, shopUrl: url, signingKey: key.privateKey, charge: chargeWith(relay), chargeCard: chargeCardWith(relay), readCharge: readChargeWith(relay), x402, agents: new SignedAgents(options.relayUrl),
  }).fetch;
  return { url, merchant, orders, close };
}

/** A wildcard listen address is not something a browser or agent can open. */
export function reachable(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
