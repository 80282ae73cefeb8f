import {
  type Actor, generateSigningKey, type Merchant as MerchantRecord, ProtocolError, randomString, type Signer, signCanonical, type Wallet,
} from '@agentpay/protocol';
import mqtt from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelayConfig } from '../../relay/src/config.ts';
import { openStore } from '../../relay/src/relay.ts';
import { newVaultKey } from '../../relay/src/vault/vault.ts';
import { freshSchema, POSTGRES_URL } from '../../relay/test/harness.ts';
import { freePort, type PrivateMosquitto, startMosquitto } from '../../relay/test/mosquitto.ts';
import { type AuditReport, audit } from './audit.ts';
import { HttpAgent, HttpRoute, Merchant, MqttDevice, type Payer, WalletApprover } from './clients.ts';
import { RelayProcess, sleep } from './relay-process.ts';
import { Witness } from './witness.ts';

/**
 * - `pglite`: one relay on PGlite in a data folder, its embedded broker for the devices;
 * - `postgres`: one relay on a fresh PostgreSQL schema, its embedded broker;
 * - `postgres-pair`: two relays on one schema behind a private Mosquitto (shared subscription), only the first killed;
 * - `pglite-pid1`: as `pglite`, but the relay starts each time as PID 1 of a fresh PID namespace, as in a
 *   container restarted after a crash (needs root, for `unshare`).
 */
export type CrashSetup = 'pglite' | 'postgres' | 'postgres-pair' | 'pglite-pid1';

export interface CrashRunOptions {
  setup: CrashSetup;
  /** How long agents and devices keep paying while the relay is being killed. */
  seconds: number;
  agents?: number;
  devices?: number;
  /** Kill at least this many times, even if `seconds` pass first. */
  minKills?: number;
  /** Longest time a relay stays up between kills, in ms (a random moment below it is chosen). */
  maxUptimeMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  setup: CrashSetup;
  kills: number;
  /** Kills that hit a relay still starting (before it served). */
  killsWhileStarting: number;
  /** Restarts that served again, and how long each took from spawn to healthy. */
  comeBackMs: number[];
  /** Restarts that never served again, with why. */
  notBack: string[];
  payments: number;
  /** Of which made by devices over MQTT. */
  devicePayments: number;
  /** Of which held for the wallet and approved by it. */
  heldApproved: number;
  charges: number;
  retries: number;
  /** Why requests were sent again (`connection failed`, `timeout`, `500 internal_error`, …). */
  failures: Record<string, number>;
  replays: number;
  secondChargesRefused: number;
  audit?: AuditReport;
  /** Everything that contradicts "every payment a client was told about is there exactly once, as told". */
  discrepancies: string[];
}

/**
 * A crash run: agents over HTTP and devices over MQTT keep paying, each
 * retrying with its own idempotency key or requestId until answered, and
 * merchants charge every token they are handed, while the relay is SIGKILLed
 * at random moments (sometimes again while it is starting) and restarted on
 * the same store. Then the relay is stopped and its store is compared with
 * what every client was told, and the ledger is checked.
 */
export async function crashRun(options: CrashRunOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const witness = new Witness();
  const report: CrashReport = {
    setup: options.setup, kills: 0, killsWhileStarting: 0, comeBackMs: [], notBack: [],
    payments: 0, devicePayments: 0, heldApproved: 0, charges: 0, retries: 0, failures: {}, replays: 0, secondChargesRefused: 0, discrepancies: witness.discrepancies,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'agentpay-crash-'));
  const schema = freshSchema();
  const postgres = options.setup.startsWith('postgres');
  let mosquitto: PrivateMosquitto | undefined;
  const relays: RelayProcess[] = [];
  const payers: Payer[] = [];
  let keepFolder = false;
  try {
    const shared: Record<string, string> = {
      DATA_DIR: dataDir,
      VAULT_KEY: newVaultKey(),
      PAIRING_CODE: `SOAK-${randomString(10)}`,
      // Hundreds of payments a minute from one agent are the point here, not a risk.
      RISK_MAX_INTENTS_PER_MINUTE: '1000000',
      ...(postgres ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : {}),
    };
    if (options.setup === 'postgres-pair') {
      mosquitto = await startMosquitto({
        settings: () => ['allow_anonymous true'],
        probe: (u) => mqtt.connectAsync(u, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 1000 }, false),
      });
      const shareGroup = `soak${randomString(8)}`;
      for (const name of ['A', 'B']) {
        const httpPort = await freePort();
        relays.push(new RelayProcess(`postgres relay ${name}`, `http://127.0.0.1:${httpPort}`, {
          ...shared, HTTP_PORT: String(httpPort), MQTT_URL: mosquitto.url, MQTT_SHARE_GROUP: shareGroup,
        }));
      }
    } else {
      const [httpPort, mqttPort, mqttWsPort] = [await freePort(), await freePort(), await freePort()];
      relays.push(new RelayProcess(options.setup, `http://127.0.0.1:${httpPort}`, {
        ...shared, HTTP_PORT: String(httpPort), MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(mqttWsPort),
      }, options.setup === 'pglite-pid1'));
    }
    // One after the other: the first runs the migrations.
    for (const relay of relays) await relay.start();
    const mqttUrl = mosquitto?.url ?? `mqtt://127.0.0.1:${relays[0]!.env.MQTT_PORT}`;

    const runEnds = Date.now() + options.seconds * 1000;
    let giveUpAt = runEnds + 180_000;
    const route = new HttpRoute(relays.map((r) => r.httpUrl), () => giveUpAt, witness);
    const parties = await setUpParties(route, shared.PAIRING_CODE!, options.agents ?? 3, options.devices ?? 2);
    const merchant = new Merchant(parties.merchant, route, witness);
    const wallet = new WalletApprover(parties.wallet, route, witness);
    parties.agents.forEach((signer, i) => payers.push(new HttpAgent(`agent ${i + 1}`, signer, merchant, wallet, route, witness)));
    parties.devices.forEach((signer, i) => payers.push(
      new MqttDevice(`device ${i + 1}`, signer, mqttUrl, mosquitto ? 'anonymous' : 'signed', mosquitto ? 5 : 4, merchant, () => giveUpAt, witness),
    ));
    log(`${options.setup}: ${relays.length} relay(s), ${parties.agents.length} agents over HTTP, ${parties.devices.length} devices over MQTT, ${options.seconds} s`);

    const stop = new AbortController();
    const paying = Promise.all(payers.map((payer) => payer.run(stop.signal)));
    await killAtRandom(relays.slice(0, 1), report, {
      until: runEnds, minKills: options.minKills ?? 1, maxUptimeMs: options.maxUptimeMs ?? 4000, log,
    });
    if (report.notBack.length === 0) {
      // Every relay serves again: the payments under way finish (with their retries) and no new one starts.
      giveUpAt = Date.now() + 120_000;
      stop.abort();
      await paying;
    } else {
      keepFolder = true;
      stop.abort();
      giveUpAt = 0;
      await paying;
    }
    for (const payer of payers.splice(0)) await payer.close();
    for (const relay of relays) await relay.stop();

    report.payments = witness.intents.size;
    report.devicePayments = [...witness.intents.values()].filter((told) => parties.devices.some((d) => d.id === told.actorId)).length;
    report.heldApproved = witness.heldApproved;
    report.charges = witness.charges.size;
    report.retries = witness.retries;
    report.failures = witness.failures;
    report.replays = witness.replays;
    report.secondChargesRefused = witness.secondChargesRefused;
    if (report.notBack.length === 0) {
      const db = await openStore(RelayConfig.parse(postgres ? { databaseUrl: POSTGRES_URL, databaseSchema: schema } : { dataDir }));
      try {
        report.audit = await audit(db, parties.walletId, witness);
      } finally {
        await db.close();
      }
      report.discrepancies.push(...report.audit.discrepancies);
    }
    for (const failure of report.notBack) report.discrepancies.push(`a relay did not come back: ${failure}`);
    if (report.discrepancies.length > 0) keepFolder = true;
    return report;
  } finally {
    for (const payer of payers) await payer.close();
    for (const relay of relays) await relay.kill();
    await mosquitto?.stop();
    if (postgres && !keepFolder) await dropPostgresSchema(schema);
    if (keepFolder) log(`kept for inspection: ${postgres ? `schema ${schema}` : `data folder ${dataDir}`}`);
    if (postgres || !keepFolder) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The killer: waits a random moment (up to `maxUptimeMs`) while the relay
 * serves, SIGKILLs it, and now and then kills it again a random moment into
 * its restart; then restarts it and waits for /v1/health before counting it
 * back. Stops at `until` once `minKills` kills are done, or when a relay does
 * not come back.
 */
async function killAtRandom(
  targets: RelayProcess[],
  report: CrashReport,
  options: { until: number; minKills: number; maxUptimeMs: number; log: (line: string) => void },
): Promise<void> {
  while (Date.now() < options.until || report.kills < options.minKills) {
    await sleep(Math.random() * options.maxUptimeMs);
    const relay = targets[Math.floor(Math.random() * targets.length)]!;
    await relay.kill();
    report.kills++;
    if (Math.random() < 0.2) {
      relay.spawn();
      await sleep(Math.random() * 1500);
      if (relay.running) {
        await relay.kill();
        report.kills++;
        report.killsWhileStarting++;
      }
    }
    const spawnedAt = Date.now();
    relay.spawn();
    const start = await relay.healthy(spawnedAt);
    if (start.healthyAfterMs === null) {
      report.notBack.push(`${relay.name} after kill ${report.kills}: ${start.failure}`);
      return;
    }
    report.comeBackMs.push(start.healthyAfterMs);
    options.log(`${relay.name}: kill ${report.kills}, back after ${start.healthyAfterMs} ms`);
  }
}

interface SoakParties {
  walletId: string;
  wallet: Signer;
  merchant: Signer;
  agents: Signer[];
  devices: Signer[];
}

/** A wallet, a merchant, agents and devices with a mandate that approves the soak's payments on its own. */
async function setUpParties(route: HttpRoute, pairingCode: string, agents: number, devices: number): Promise<SoakParties> {
  const answered = async <T>(signer: Signer, method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> => {
    const answer = await route.untilAnswered<T>(signer, method, path, body, `setup-${randomString(16)}`);
    if (answer instanceof ProtocolError) throw answer;
    return answer;
  };
  const walletKey = await generateSigningKey();
  const wallet = await answered<Wallet>({ id: 'self', privateKey: walletKey.privateKey }, 'POST', '/v1/wallets', { name: 'Soak', publicKey: walletKey.publicJwk, pairingCode });
  const walletSigner = { id: wallet.id, privateKey: walletKey.privateKey };
  const merchantKey = await generateSigningKey();
  const merchant = await answered<MerchantRecord>({ id: 'self', privateKey: merchantKey.privateKey }, 'POST', '/v1/merchants', {
    name: 'Soak Shop', publicKey: merchantKey.publicJwk, origins: [`http://soak-${randomString(8).toLowerCase()}.example`],
  });
  const actor = async (kind: 'agent' | 'device', name: string): Promise<Signer> => {
    const key = await generateSigningKey();
    const record = await answered<Actor>(walletSigner, 'POST', '/v1/wallet/actors', {
      kind, name, publicKey: key.publicJwk, ...(kind === 'device' ? { profile: 'cockpit' } : {}),
    });
    const mandate = {
      v: 1, kind: 'rules', walletId: wallet.id, actorId: record.id, issuedAt: new Date().toISOString(),
      rules: [{ id: 'soak', currency: 'CNY', maxPerPaymentMinor: 10_000, merchants: { allow: [merchant.id] } }],
    };
    await answered(walletSigner, 'PUT', `/v1/wallet/actors/${record.id}/mandate`, { jws: await signCanonical(mandate, walletKey.privateKey, wallet.id) });
    return { id: record.id, privateKey: key.privateKey };
  };
  const agentSigners: Signer[] = [];
  for (let i = 0; i < agents; i++) agentSigners.push(await actor('agent', `Soak agent ${i + 1}`));
  const deviceSigners: Signer[] = [];
  for (let i = 0; i < devices; i++) deviceSigners.push(await actor('device', `Soak car ${i + 1}`));
  return { walletId: wallet.id, wallet: walletSigner, merchant: { id: merchant.id, privateKey: merchantKey.privateKey }, agents: agentSigners, devices: deviceSigners };
}

async function dropPostgresSchema(schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
