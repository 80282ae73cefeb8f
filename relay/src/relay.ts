import { MQTT_CONNECT_AUDIENCE, ProtocolError } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { type RelayConfig, RelayConfig as RelayConfigSchema, type RelayConfigInput } from './config.ts';
import type { RelayContext } from './context.ts';
import { EventHub, type RelayEvent } from './events/hub.ts';
import { logMoneyMovements } from './events/money-log.ts';
import { createHttpApp } from './http/app.ts';
import { lapseExpired } from './credits/usage.ts';
import { followTopUps } from './credits/follow-top-ups.ts';
import { findPrincipal, forgetPrincipal } from './identity/principals.ts';
import { PairingGate } from './identity/pairing.ts';
import { consumeNonce, verifyRequest } from './identity/verify.ts';
import { expireHeldIntents } from './intents/answer.ts';
import { createLogger } from './logger.ts';
import { createDrain } from './shutdown/drain.ts';
import { serveLocalAdmin, writeAdminFile } from './admin/local-admin.ts';
import { fillNameSkeletons } from './merchant/lookalike.ts';
import { RELAY_PRINCIPAL, startEmbeddedBroker, type EmbeddedBroker } from './mqtt/broker.ts';
import { startDeviceBridge, type DeviceBridge } from './mqtt/bridge.ts';
import { loadSecrets, savePairingCode } from './secrets.ts';
import type { Database } from './store/database.ts';
import { lockDataDir } from './store/lock.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres, type PostgresBounds, redact } from './store/postgres.ts';
import { retryWhileUnreachable } from './store/unavailable.ts';
import { createThrottle } from './throttle/throttle.ts';
import { forgetCardNumbers, releaseTokens } from './vault/tokens.ts';
import { requireSameVaultKey } from './vault/same-key.ts';
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

/**
 * Opens the configured store: a real PostgreSQL with DATABASE_URL, otherwise PGlite in the data folder.
 * A PostgreSQL that cannot be reached yet is retried for DATABASE_START_TIMEOUT_SECONDS, with a log line each time.
 */
export async function openStore(config: RelayConfig, log: Logger = createLogger(config.logLevel, config.logFormat)): Promise<Database> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    return retryWhileUnreachable(`PostgreSQL at ${redact(url)}`, config.databaseStartTimeoutSeconds * 1000, log, async () => {
      const db = await openPostgres({
        url,
        schema: config.databaseSchema,
        bounds: postgresBounds(config),
        onConnectionError: (err) => log.warn({ err }, 'lost a PostgreSQL connection; a new one is opened when needed'),
      });
      return migrated(db);
    });
  }
  let db: Database;
  if (config.inMemory) {
    db = await openPglite(undefined);
  } else {
    const dir = resolve(config.dataDir);
    const unlock = await lockDataDir(dir);
    try {
      const pglite = await openPglite(join(dir, 'pgdata'));
      db = { ...pglite, close: () => pglite.close().finally(unlock) };
    } catch (error) {
      unlock();
      throw error;
    }
  }
  return migrated(db);
}

async function migrated(db: Database): Promise<Database> {
  try {
    await migrate(db);
    await fillNameSkeletons(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

function postgresBounds(config: RelayConfig): PostgresBounds {
  return {
    connectMs: config.databaseConnectTimeoutSeconds * 1000,
    poolWaitMs: config.databasePoolWaitSeconds * 1000,
    statementMs: config.databaseStatementTimeoutSeconds * 1000,
    lockMs: config.databaseLockTimeoutSeconds * 1000,
    idleInTransactionMs: config.databaseIdleInTransactionTimeoutSeconds * 1000,
    keepaliveMs: config.databaseKeepaliveSeconds * 1000,
  };
}

/** Starts the whole relay: store, HTTP API, MQTT (embedded or external) and the sweeper. */
export async function startRelay(input: RelayConfigInput = {}, options: { now?: () => Date } = {}): Promise<Relay> {
  const config = RelayConfigSchema.parse(input);
  const log = createLogger(config.logLevel, config.logFormat);
  const secrets = loadSecrets({ dataDir: config.dataDir, persist: !config.inMemory, vaultKey: config.vaultKey });
  const db = await openStore(config, log);
  // A relay on PostgreSQL that keeps its vault key or pairing code in the data folder owns that folder
  // as an embedded one does: another relay there would overwrite the code a user was just shown.
  let unlockDataDir = () => {};
  if (config.databaseUrl && !config.inMemory && (!config.vaultKey || !config.pairingCode)) {
    try {
      unlockDataDir = await lockDataDir(resolve(config.dataDir));
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  const now = options.now ?? (() => new Date());
  const pairing = new PairingGate({ fixedCode: config.pairingCode, ttlMs: config.pairingCodeTtlSeconds * 1000, now });
  if (!config.inMemory && !pairing.fixed) {
    savePairingCode(config.dataDir, pairing.code);
    pairing.onNewCode((code) => savePairingCode(config.dataDir, code));
  }
  const ctx: RelayContext = {
    db, config, log, vault: createVault(secrets.vaultKey), events: new EventHub(), now, pairing,
    get pairingCode() {
      return pairing.code;
    },
    cardRefusals: createThrottle({ limit: config.cardRefusalsPerMinute, windowMs: 60_000, now: () => now().getTime() }),
  };
  try {
    await requireSameVaultKey(db, ctx.vault);
  } catch (error) {
    unlockDataDir();
    await db.close();
    throw error;
  }
  let cardNumbersForgotten = await forgetCardNumbers(ctx, db);

  const app = createHttpApp(ctx);
  const admin = serveLocalAdmin(app, ctx);
  const drain = createDrain(log);
  // Plain HTTP/1.1 (serve's default): its connections can be closed from here when stopping.
  const server = serve({ fetch: (request, env) => drain.fetch(request, () => app.fetch(request, env)), hostname: config.host, port: config.httpPort }) as HttpServer;
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const httpUrl = `http://${config.host}:${(server.address() as AddressInfo).port}`;
  // Only an embedded database needs it: on PostgreSQL, `relay ledger check` opens the database itself.
  const forgetAdminFile = config.inMemory || config.databaseUrl ? () => {} : writeAdminFile(resolve(config.dataDir), { url: httpUrl, key: admin.key });

  let broker: EmbeddedBroker | undefined;
  let bridge: DeviceBridge;
  if (config.mqttUrl) {
    bridge = await startDeviceBridge(ctx, { url: config.mqttUrl, username: config.mqttUsername, password: config.mqttPassword, shareGroup: config.mqttShareGroup });
  } else {
    const relaySecret = randomBytes(24).toString('base64url');
    // Until the relay's own client has subscribed, a device's request would reach no one and wait for its
    // resend. A device that logs in meanwhile is held, not refused: its login goes on the moment the relay
    // serves (a few ms), where a refusal would send it back to its backoff for seconds. If the start fails,
    // the device's connect timeout ends the wait.
    let serve!: () => void;
    const serving = new Promise<void>((resolve) => (serve = resolve));
    broker = await startEmbeddedBroker({
      host: config.host,
      port: config.mqttPort,
      wsPort: config.mqttWsPort,
      maxPacketBytes: config.mqttMaxPacketBytes,
      auth: {
        authenticate: async (c) => {
          if (c.username !== RELAY_PRINCIPAL) await serving;
          return authenticateDevice(ctx, c, relaySecret);
        },
        stillAllowed: async (principal) => {
          if (principal === RELAY_PRINCIPAL) return true;
          const device = await findPrincipal(ctx.db, principal);
          return device?.kind === 'device' && device.status !== 'revoked';
        },
      },
      log: (level, msg, fields) => log[level](fields ?? {}, msg),
    });
    bridge = await startDeviceBridge(ctx, { url: broker.url, username: RELAY_PRINCIPAL, password: relaySecret });
    serve();
  }

  // After a status change commits: this process stops trusting its cached copy of the signer, and a
  // revoked device's sessions on the embedded broker end (on an external broker the relay refuses
  // its requests and logins; closing its session there is the broker's operator's to configure).
  const stopWatching = new AbortController();
  ctx.events.subscribe((event) => {
    if (event.type === 'wallet.unpaired') forgetPrincipal(event.walletId);
    if (event.type !== 'actor.updated') return;
    forgetPrincipal(event.actorId);
    if (event.status === 'revoked') broker?.disconnect(event.actorId);
  }, stopWatching.signal);

  logMoneyMovements(ctx, stopWatching.signal);
  const topUps = followTopUps(ctx, stopWatching.signal);

  const sweep = async () => {
    pairing.sweep();
    const outbox: RelayEvent[] = [];
    await db.transaction(async (tx) => {
      await expireHeldIntents(ctx, tx, outbox);
      await releaseTokens(tx, outbox, { expiredBefore: ctx.now() });
      await lapseExpired(ctx, tx);
      await tx.query('DELETE FROM nonces WHERE expires_at < $1', [ctx.now()]);
    });
    if (!cardNumbersForgotten) cardNumbersForgotten = await forgetCardNumbers(ctx, db);
    for (const event of outbox) ctx.events.emit(event);
    await topUps.sweep();
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
      stopWatching.abort();
      // No new connections; idle keep-alive ones go now; streams and long polls end (they watch the hub).
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      ctx.events.close();
      // Writes that arrive now are refused with 503; those already running get a moment to commit.
      await drain.stop();
      await bridge.close();
      await broker?.close();
      // Whatever is still connected (a client that never reads its answer) must not hold the process.
      server.closeAllConnections();
      await closed;
      forgetAdminFile();
      await db.close();
      unlockDataDir();
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
