import { deviceTopics } from '@agentpay/protocol';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthErrorCode, type AuthenticateError, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { DEFAULT_MAX_PACKET_BYTES, limitPacketSize } from './packet-limit.ts';

export interface BrokerAuth {
  /** Called on CONNECT. Return the principal id the client may act as (a device id, or the literal 'relay' for the relay's own client), or null to refuse. */
  authenticate(input: { clientId: string; username: string | undefined; password: string | undefined }): Promise<string | null>;
  /**
   * Asked again once a session is open, without any cache: a login checked just before its principal was
   * revoked ends here, since the revoke's own sweep of open sessions may have run before this one opened.
   */
  stillAllowed?(principal: string): Promise<boolean>;
}

export interface EmbeddedBrokerOptions {
  /** Interface to listen on, for both listeners. Default '127.0.0.1'. */
  host?: string;
  /** TCP port for plain MQTT; 0 picks a free one. */
  port: number;
  /** Port for MQTT over WebSocket at path '/mqtt'; 0 picks a free one; undefined means no WebSocket listener. */
  wsPort?: number;
  /** Decides who a connecting client is; the topic rules follow from the principal it returns. */
  auth: BrokerAuth;
  /** Largest packet (remaining length, bytes) a client may send, CONNECT included; a larger one closes the connection. */
  maxPacketBytes?: number;
  /** Receives refusals and lifecycle messages; silent by default. */
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

export interface EmbeddedBroker {
  /** mqtt://host:port */
  url: string;
  /** ws://host:port/mqtt, when a WebSocket listener was asked for. */
  wsUrl?: string;
  /** Closes the listeners, every connection and the broker; resolves once all are gone. */
  close(): Promise<void>;
  /** Ends every session logged in as `principal` (a device just revoked). */
  disconnect(principal: string): void;
}

const PREFIX = deviceTopics.prefix;
/** The principal of the relay's own client, which may use every topic under `agentpay/v1/`. */
export const RELAY_PRINCIPAL = 'relay';

/** Topics of the device contract, v1 (defined with the rest of the wire contract in protocol). */
export const topics = deviceTopics;

const REQUEST_TOPIC = /^agentpay\/v1\/devices\/([^/+#]+)\/requests$/;

/** The device id in a requests topic, or null if the topic is not one. */
export function deviceIdFromRequestTopic(topic: string): string | null {
  return REQUEST_TOPIC.exec(topic)?.[1] ?? null;
}

// A principal becomes a topic level, so '/', '+' or '#' in it would let a device reach other devices' topics.
const SAFE_PRINCIPAL = /^[^/+#\u0000]+$/;

function mayPublish(principal: string, topic: string): boolean {
  return principal === RELAY_PRINCIPAL ? topic.startsWith(PREFIX) : topic === topics.requests(principal);
}

function maySubscribe(principal: string, filter: string): boolean {
  // Exact match for devices: any wildcard would reach past the device's own topic.
  return principal === RELAY_PRINCIPAL ? filter.startsWith(PREFIX) : filter === topics.events(principal);
}

function authError(returnCode: 3 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: returnCode as AuthErrorCode });
}

function listen(server: TcpServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Starts an in-process MQTT 3.1.1 broker that enforces the device topic contract. */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const principals = new WeakMap<Client, string>();
  // aedes silently drops an existing session when a new one reuses its client id, so without this
  // any device could knock the relay (or another device) offline by connecting under its id.
  const liveById = new Map<string, Client>();

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const clientId = client.id;
      opts.auth.authenticate({ clientId, username, password: password?.toString('utf8') }).then(
        (principal) => {
          if (principal === null) {
            log('warn', 'mqtt connect refused', { clientId, username });
            return done(authError(4, 'bad user name or password'), false);
          }
          const holder = liveById.get(clientId);
          const holderPrincipal = holder && !holder.closed ? principals.get(holder) : undefined;
          if (!SAFE_PRINCIPAL.test(principal) || (holderPrincipal !== undefined && holderPrincipal !== principal)) {
            log('warn', 'mqtt connect refused: unusable principal or client id held by another principal', { clientId, principal });
            return done(authError(5, 'not authorized'), false);
          }
          principals.set(client, principal);
          done(null, true);
        },
        (err: unknown) => {
          log('warn', 'mqtt authenticate failed', { clientId, error: String(err) });
          done(authError(3, 'server unavailable'), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      const principal = client ? principals.get(client) : undefined;
      if (principal !== undefined && mayPublish(principal, packet.topic)) return done(null);
      // MQTT 3.1.1 has no negative PUBACK: aedes answers this error by closing the connection.
      log('warn', 'mqtt publish refused', { clientId: client?.id, principal, topic: packet.topic });
      done(new Error(`publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe(client, sub, done) {
      const principal = principals.get(client);
      if (principal !== undefined && maySubscribe(principal, sub.topic)) return done(null, sub);
      log('warn', 'mqtt subscribe refused', { clientId: client.id, principal, topic: sub.topic });
      done(null, null); // null subscription: SUBACK 0x80 for this filter, the connection stays up
    },
  });
  broker.on('client', (client) => liveById.set(client.id, client));
  broker.on('clientReady', (client) => {
    const principal = principals.get(client);
    if (principal === undefined || !opts.auth.stillAllowed) return;
    opts.auth.stillAllowed(principal).then(
      (allowed) => {
        if (!allowed && !client.closed) {
          log('warn', 'mqtt session closed: its principal was revoked as it logged in', { clientId: client.id, principal });
          client.close();
        }
      },
      () => undefined,
    );
  });
  broker.on('clientDisconnect', (client) => {
    if (liveById.get(client.id) === client) liveById.delete(client.id);
  });
  broker.on('clientError', (client, err) => log('info', 'mqtt client error', { clientId: client.id, error: err.message }));

  // Sockets that never send CONNECT are unknown to aedes, so we track every socket to close them ourselves.
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    socket.setNoDelay(true); // Nagle + delayed ACK adds ~40-90 ms to each request/response round trip
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  // Every connection is read through the size guard, so no packet over the limit is ever buffered whole.
  const maxPacketBytes = opts.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const guarded = (stream: Duplex, remote: string | undefined) =>
    limitPacketSize(stream, maxPacketBytes, (announced) =>
      log('warn', 'mqtt packet over the size limit: connection closed', { remote, announced, maxPacketBytes }),
    );

  const tcp = createTcpServer((socket) => {
    track(socket);
    broker.handle(guarded(socket, socket.remoteAddress));
  });
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;

  async function close(): Promise<void> {
    const servers = [tcp, http].filter((s): s is TcpServer | HttpServer => s?.listening === true);
    const closed = servers.map((s) => new Promise((resolve) => s.close(resolve)));
    wss?.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
  }

  try {
    const port = await listen(tcp, opts.port, host);
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const disconnect = (principal: string) => {
      for (const client of liveById.values()) if (principals.get(client) === principal) client.close();
    };
    const result: EmbeddedBroker = { url: `mqtt://${urlHost}:${port}`, close: memo(close), disconnect };
    if (opts.wsPort !== undefined) {
      http = createHttpServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket at /mqtt\n'));
      http.on('connection', track);
      // ws buffers a whole frame before handing it over (100 MiB by default): one frame may carry
      // at most two packets' worth, and the guard below counts the packets inside.
      wss = new WebSocketServer({ server: http, path: '/mqtt', maxPayload: 2 * maxPacketBytes + 16 });
      wss.on('connection', (ws, req) => broker.handle(guarded(createWebSocketStream(ws), req.socket.remoteAddress), req));
      result.wsUrl = `ws://${urlHost}:${await listen(http, opts.wsPort, host)}/mqtt`;
    }
    log('info', 'mqtt broker listening', { url: result.url, wsUrl: result.wsUrl });
    return result;
  } catch (err) {
    await close();
    throw err;
  }
}

function memo(fn: () => Promise<void>): () => Promise<void> {
  let once: Promise<void> | undefined;
  return () => (once ??= fn());
}
