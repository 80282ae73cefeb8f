import { MQTT_CONNECT_AUDIENCE, ProtocolError } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type RelayConfig, RelayConfig as RelayConfigSchema, type RelayConfigInput } from './config.ts';
import type { RelayContext } from './context.ts';
import { EventHub, type RelayEvent } from './events/hub.ts';
import { createHttpApp } from './http/app.ts';
import { consumeNonce, verifyRequest } from './identity/verify.ts';
import { expireHeldIntents } from './intents/answer.ts';
import { createLogger } from './logger.ts';
import { RELAY_PRINCIPAL, startEmbeddedBroker, type EmbeddedBroker } from './mqtt/broker.ts';
import { startDeviceBridge, type DeviceBridge } from './mqtt/bridge.ts';
import { loadSecrets } from './secrets.ts';
import type { Database } from './store/database.ts';
import { lockDataDir } from './store/lock.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres } from './store/postgres.ts';
import { releaseTokens } from './vault/tokens.ts';
import { createVault } from './vault/vault.ts';

/** Audience of the password a device signs to connect to the embedded broker (part of the wire contract). */
export { MQTT_CONNECT_AUDIENCE };
const SWEEP_MS = 2_000;

export interface Relay {
  ctx: RelayContext;
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:8787 */
  httpUrl: string;
  /** Where devices connect: the embedded broker or MQTT_URL. */
  mqttUrl: string;
  mqttWsUrl?: string;
  /** Expires held intents and unused tokens now (it also runs every few seconds). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the configured store: a real PostgreSQL with DATABASE_URL, otherwise PGlite in the data folder. */
export async function openStore(config: RelayConfig): Promise<Database> {
  let db: Database;
  if (config.databaseUrl) {
    db = await openPostgres({ url: config.databaseUrl, schema: config.databaseSchema });
  } else if (config.inMemory) {
    db = await openPglite(undefined);
  } else {
    const dir = resolve(config.dataDir);
    const unlock = lockDataDir(dir);
    try {
      const pglite = await openPglite(join(dir, 'pgdata'));
      db = { ...pglite, close: () => pglite.close().finally(unlock) };
    } catch (error) {
      unlock();
      throw error;
    }
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Starts the whole relay: store, HTTP API, MQTT (embedded or external) and the sweeper. */
export async function startRelay(input: RelayConfigInput = {}, options: { now?: () => Date } = {}): Promise<Relay> {
  const config = RelayConfigSchema.parse(input);
  const log = createLogger(config.logLevel);
  const secrets = loadSecrets({ dataDir: config.dataDir, persist: !config.inMemory, vaultKey: config.vaultKey, pairingCode: config.pairingCode });
  const db = await openStore(config);
  const ctx: RelayContext = {
    db, config, log, vault: createVault(secrets.vaultKey), events: new EventHub(), now: options.now ?? (() => new Date()), pairingCode: secrets.pairingCode,
  };

  const app = createHttpApp(ctx);
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.httpPort });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const httpUrl = `http://${config.host}:${(server.address() as AddressInfo).port}`;

  let broker: EmbeddedBroker | undefined;
  let bridge: DeviceBridge;
  if (config.mqttUrl) {
    bridge = await startDeviceBridge(ctx, { url: config.mqttUrl, username: config.mqttUsername, password: config.mqttPassword, shareGroup: config.mqttShareGroup });
  } else {
    const relaySecret = randomBytes(24).toString('base64url');
    // Until the relay's own client has subscribed, a device's request would reach no one and wait for its
    // resend (10 s): devices are told "server unavailable" (CONNACK 3) and retry with their backoff instead.
    let serving = false;
    broker = await startEmbeddedBroker({
      host: config.host,
      port: config.mqttPort,
      wsPort: config.mqttWsPort,
      maxPacketBytes: config.mqttMaxPacketBytes,
      auth: {
        authenticate: async (c) => {
          if (!serving && c.username !== RELAY_PRINCIPAL) throw new Error('the relay is starting');
          return authenticateDevice(ctx, c, relaySecret);
        },
      },
      log: (level, msg, fields) => log[level](fields ?? {}, msg),
    });
    bridge = await startDeviceBridge(ctx, { url: broker.url, username: RELAY_PRINCIPAL, password: relaySecret });
    serving = true;
  }

  const sweep = async () => {
    const outbox: RelayEvent[] = [];
    await db.transaction(async (tx) => {
      await expireHeldIntents(ctx, tx, outbox);
      await releaseTokens(tx, { expiredBefore: ctx.now() });
      await tx.query('DELETE FROM nonces WHERE expires_at < $1', [ctx.now()]);
    });
    for (const event of outbox) ctx.events.emit(event);
  };
  const timer = setInterval(() => sweep().catch((err: Error) => log.warn({ err }, 'sweep failed')), SWEEP_MS);
  timer.unref();

  log.info({ httpUrl, mqttUrl: config.mqttUrl ?? broker?.url, store: db.engine }, 'relay started');
  return {
    ctx,
    httpUrl,
    mqttUrl: config.mqttUrl ?? broker!.url,
    mqttWsUrl: broker?.wsUrl,
    sweep,
    async close() {
      clearInterval(timer);
      await bridge.close();
      await broker?.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      await db.close();
    },
  };
}

/**
 * Embedded broker login: the relay's own client by its per-process secret;
 * a device by its id as user name and, as password, a fresh JWS it signed
 * over `{aud: "mqtt connect", ts, nonce}`.
 */
async function authenticateDevice(
  ctx: RelayContext,
  input: { username: string | undefined; password: string | undefined },
  relaySecret: string,
): Promise<string | null> {
  if (input.username === RELAY_PRINCIPAL) return input.password === relaySecret ? RELAY_PRINCIPAL : null;
  if (!input.username || !input.password) return null;
  try {
    const { principal, claims } = await verifyRequest(ctx.db, { jws: input.password, aud: MQTT_CONNECT_AUDIENCE, now: ctx.now() });
    if (principal.kind !== 'device' || principal.id !== input.username || principal.status === 'revoked') return null;
    await consumeNonce(ctx.db, principal.id, claims.nonce, ctx.now());
    return principal.id;
  } catch (error) {
    // A bad, stale or replayed password is a refused login (CONNACK 4). Anything else (the store failing) is
    // the relay's trouble: thrown, it becomes "server unavailable" (CONNACK 3), which devices retry.
    if (error instanceof ProtocolError) return null;
    throw error;
  }
}
