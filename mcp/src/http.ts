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
/** Sessions open at once: a local client gets its own; more than this is someone flooding loopback. */
const MAX_SESSIONS = 100;
/** Largest request body read (MCP messages here are small). */
const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

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
 * its merchant once whichever session asks. The Host header must name this server and a browser's
 * Origin must be loopback (DNS rebinding, pages on other sites); sessions and bodies are bounded.
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
    const origin = c.req.header('origin');
    if (origin !== undefined && !LOOPBACK_ORIGIN.test(origin)) return c.json(rpcError(-32000, `origin ${origin} may not use this server`), 403);
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) return c.json(rpcError(-32000, `the body is larger than ${MAX_BODY_BYTES} bytes`), 413);
    const sessionId = c.req.header('mcp-session-id');
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return c.json(rpcError(-32001, 'unknown or ended session: initialize again'), 404);
      lastUsed.set(sessionId, Date.now());
      return transport.handleRequest(c.req.raw);
    }
    const raw = c.req.method === 'POST' ? await c.req.text() : '';
    if (raw.length > MAX_BODY_BYTES) return c.json(rpcError(-32000, `the body is larger than ${MAX_BODY_BYTES} bytes`), 413);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (!isInitializeRequest(body)) return c.json(rpcError(-32000, 'no mcp-session-id: send initialize first'), 400);
    if (sessions.size >= MAX_SESSIONS) return c.json(rpcError(-32000, `${MAX_SESSIONS} sessions are open; close one (DELETE) or wait for idle ones to end`), 503);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableDnsRebindingProtection: true,
      allowedHosts,
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (id) => { sessions.set(id, transport); lastUsed.set(id, Date.now()); },
      onsessionclosed: (id) => { sessions.delete(id); lastUsed.delete(id); },
    });
    transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
    await createAgentPayServer(relay, { deliveries }).connect(transport);
    return transport.handleRequest(new Request(c.req.raw.url, { method: 'POST', headers: c.req.raw.headers, body: raw }), { parsedBody: body });
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

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });
