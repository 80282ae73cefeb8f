import { randomUUID } from 'node:crypto';
import type { RelayHttpClient } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { Deliveries } from './payments/deliver.ts';
import { createAgentPayServer } from './server.ts';

export const MCP_PATH = '/mcp';

export interface HttpServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback only by default: the server pays as the agent for whoever can reach it. */
  host?: string;
  /** Where approved payments go, shared by the sessions (default: in memory). */
  deliveries?: Deliveries;
  /** A session nobody used this long is closed (default 30 minutes); its client initialises again. */
  idleSessionMs?: number;
}

export interface RunningHttpServer {
  url: string;
  /** Sessions open now. */
  sessions(): number;
  close(): Promise<void>;
}

/**
 * MCP over Streamable HTTP with stateful sessions: each client that initialises gets its own MCP
 * server and transport, so the server knows that client's capabilities (whether it shows URL
 * elicitations). The sessions share one delivery book, so a payment approved later is handed to
 * its merchant once whichever session asks. Host and Origin headers are checked (DNS rebinding).
 */
export async function serveHttp(relay: RelayHttpClient, options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const deliveries = options.deliveries ?? new Deliveries();
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const lastUsed = new Map<string, number>();
  const idleMs = options.idleSessionMs ?? 30 * 60_000;
  const sweeper = setInterval(() => {
    for (const [id, at] of lastUsed) {
      if (Date.now() - at < idleMs) continue;
      lastUsed.delete(id);
      void sessions.get(id)?.close().catch(() => undefined);
      sessions.delete(id);
    }
  }, Math.min(idleMs, 60_000));
  sweeper.unref();
  const app = new Hono();
  let allowedHosts: string[] = [];

  app.all(MCP_PATH, async (c) => {
    const sessionId = c.req.header('mcp-session-id');
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return c.json({ jsonrpc: '2.0', error: { code: -32001, message: 'unknown or ended session: initialize again' }, id: null }, 404);
      lastUsed.set(sessionId, Date.now());
      return transport.handleRequest(c.req.raw);
    }
    const body: unknown = c.req.method === 'POST' ? await c.req.raw.clone().json().catch(() => undefined) : undefined;
    if (!isInitializeRequest(body)) {
      return c.json({ jsonrpc: '2.0', error: { code: -32000, message: 'no mcp-session-id: send initialize first' }, id: null }, 400);
    }
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableDnsRebindingProtection: true,
      allowedHosts,
      onsessioninitialized: (id) => { sessions.set(id, transport); lastUsed.set(id, Date.now()); },
      onsessionclosed: (id) => { sessions.delete(id); lastUsed.delete(id); },
    });
    transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
    await createAgentPayServer(relay, { deliveries }).connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });

  const server = serve({ fetch: app.fetch, hostname: host, port: options.port });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`];
  return {
    url: `http://${host}:${port}${MCP_PATH}`,
    sessions: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
