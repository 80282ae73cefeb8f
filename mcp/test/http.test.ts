import { request as httpRequest } from 'node:http';
import { RelayHttpClient } from '@agentpay/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../relay/test/harness.ts';
import { type RunningHttpServer, serveHttp } from '../src/http.ts';

/** The Streamable HTTP server's sessions, as a client and a stranger meet them (no relay call is needed). */
describe('agentpay-mcp over Streamable HTTP: sessions', () => {
  let server: RunningHttpServer;
  beforeAll(async () => {
    server = await serveHttp(new RelayHttpClient('http://127.0.0.1:9', undefined), { port: 0, idleSessionMs: 300 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });

  it('gives each client that initialises its own session, and closes one left idle', async () => {
    const first = new Client({ name: 'a', version: '1' });
    const second = new Client({ name: 'b', version: '1' });
    await first.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    await second.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    expect(server.sessions()).toBe(2);
    expect((await first.listTools()).tools.length).toBeGreaterThan(5);
    await until(() => server.sessions() === 0, 10_000);
  });

  it('refuses a request naming no session (unless it initialises) or one that does not exist', async () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect((await post({}, list)).status).toBe(400);
    const unknown = await post({ 'mcp-session-id': 'not-a-session' }, list);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: expect.stringMatching(/initialize again/) } });
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    // fetch will not send another Host: a raw request, as a rebound browser's would arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const body = JSON.stringify(init);
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
        host: 'evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body),
      } }, (response) => { response.resume(); resolve(response.statusCode!); });
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(403);
  });

  it('refuses a page of another site (its Origin) and a body too large to be an MCP message', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    expect((await post({ origin: 'https://evil.example' }, init)).status).toBe(403);
    const huge = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await post({ origin: 'http://localhost:3000' }, init)).status).toBe(200);
  });
});
