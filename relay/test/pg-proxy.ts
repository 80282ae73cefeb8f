import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { POSTGRES_URL } from './harness.ts';

/** One client connection through the proxy and its upstream twin. */
interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Silent: bytes are swallowed both ways and neither side hears the other close. */
  silent: boolean;
}

/**
 * A TCP proxy in front of the test PostgreSQL that can fail the way networks
 * do: `cut()` closes every connection and refuses new ones; `blackhole()`
 * keeps sockets open but forwards nothing (a dead route: no FIN, no RST);
 * `restore()` forwards new connections again (silenced ones stay silent,
 * like a peer that vanished). `silenceAfter(marker)` lets through the first
 * client message containing `marker` and then silences that connection, so
 * the server runs a statement whose answer never arrives.
 */
export class PgProxy {
  readonly #server: Server;
  readonly #pairs = new Set<Pair>();
  #mode: 'open' | 'cut' | 'silent' = 'open';
  #marker: string | undefined;
  /** Connections accepted so far, e.g. to see that a relay keeps retrying. */
  accepted = 0;

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => this.#accept(socket));
  }

  static async start(): Promise<PgProxy> {
    const server = createServer();
    const proxy = new PgProxy(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return proxy;
  }

  /** POSTGRES_URL, but through this proxy. */
  get url(): string {
    const url = new URL(POSTGRES_URL);
    url.host = `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return url.href;
  }

  /** The local ports of the upstream connections, as PostgreSQL sees them (pg_stat_activity.client_port). */
  upstreamPorts(): number[] {
    return [...this.#pairs].flatMap((p) => (p.upstream?.localPort ? [p.upstream.localPort] : []));
  }

  cut(): void {
    this.#mode = 'cut';
    for (const pair of this.#pairs) this.#drop(pair);
  }

  blackhole(): void {
    this.#mode = 'silent';
    for (const pair of this.#pairs) pair.silent = true;
  }

  silenceAfter(marker: string): void {
    this.#marker = marker;
  }

  restore(): void {
    this.#mode = 'open';
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) this.#drop(pair);
    await new Promise<void>((ok) => this.#server.close(() => ok()));
  }

  #accept(client: Socket): void {
    this.accepted++;
    client.on('error', () => undefined);
    if (this.#mode === 'cut') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, upstream: undefined, silent: this.#mode === 'silent' };
    this.#pairs.add(pair);
    client.on('close', () => {
      if (!pair.silent) this.#drop(pair);
    });
    if (pair.silent) return;
    const target = new URL(POSTGRES_URL);
    const upstream = connect(Number(target.port || 5432), target.hostname);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      if (!pair.silent) this.#drop(pair);
    });
    client.on('data', (chunk) => {
      if (pair.silent) return;
      upstream.write(chunk);
      if (this.#marker && chunk.includes(this.#marker)) {
        this.#marker = undefined;
        pair.silent = true;
      }
    });
    upstream.on('data', (chunk) => {
      if (!pair.silent) client.write(chunk);
    });
  }

  #drop(pair: Pair): void {
    this.#pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
