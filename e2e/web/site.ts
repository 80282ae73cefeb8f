import { MERCHANT_ORIGIN_PROOF_PATH, type MerchantOriginProof } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { AddressInfo } from 'node:net';
import type { Ledger } from './ledger.ts';

/** One web server of the test web: one origin, its routes, every request scanned for cards. */
export interface Site {
  /** Who it is in records and messages, e.g. "Atelier Nord (shop)". */
  label: string;
  /** scheme://host:port, as a browser writes it. */
  origin: string;
  app: Hono;
  /** Serves the merchant's signed proof that this origin is theirs (/.well-known/agentpay-merchant.json). */
  proveWith(proof: MerchantOriginProof): void;
  close(): Promise<void>;
}

/**
 * Starts a server on `bindHost` (a loopback address); `urlHost` is the name
 * the browser uses ("localhost" is another site than 127.0.0.1 to Chromium, so
 * its frames run out of process, as a payment provider's do).
 */
export async function startSite(options: { label: string; bindHost: string; urlHost?: string; ledger: Ledger }): Promise<Site> {
  const { label, ledger } = options;
  // A trie router takes routes after the first request: pages are mounted once the relay has fetched the proof.
  const app = new Hono({ router: new TrieRouter() });
  let proof: MerchantOriginProof | undefined;
  // Before any route: every card number in any request is recorded, whatever the page meant to send.
  app.use(async (c, next) => {
    const request = `${c.req.method} ${c.req.path}`;
    ledger.requests.push(`${label} ${request}`);
    const url = new URL(c.req.url);
    ledger.scan(label, request, url.search, 'query');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const body = Buffer.from(await c.req.raw.clone().arrayBuffer()).toString('utf8');
      ledger.scan(label, request, body, 'body');
    }
    await next();
  });
  app.get(MERCHANT_ORIGIN_PROOF_PATH, (c) => (proof ? c.json(proof) : c.json({ error: { code: 'not_found', message: 'no merchant proves this origin' } }, 404)));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.notFound((c) => c.text(`${label}: no page ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    console.error(`${label}:`, error);
    return c.text(`${label} failed: ${error.message}`, 500);
  });

  const server = serve({ fetch: (request) => app.fetch(request), hostname: options.bindHost, port: 0 });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    label,
    origin: `http://${options.urlHost ?? options.bindHost}:${port}`,
    app,
    proveWith: (signed) => {
      proof = signed;
    },
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      // Keep-alive sockets from the browser would hold close() open until they time out.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
