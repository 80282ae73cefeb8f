/**
 * The system a device talks to in tests: a relay (PGlite behind its embedded
 * broker, or PostgreSQL behind a private Mosquitto set up as docs/mqtt.md
 * says), a user's wallet, a parking operator registered as merchant
 * with its own HTTP endpoint that charges the tokens devices hand it, and
 * devices registered by the wallet.
 */
import { type Actor, type Charge, generateSigningKey, type Merchant, randomString, RelayHttpClient } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { addActor, dropSchema, type Party, setMandate, setUpParties, startTestRelay } from '../../relay/test/harness.ts';
import { type DocumentedMosquitto, eventually, type PrivateMosquitto, startDocumentedMosquitto } from '../../relay/test/mosquitto.ts';
import type { Relay } from '../../relay/src/relay.ts';
import type { BrokerLogin, DeviceIdentity } from '../src/connection/login.ts';
import type { RelayConnectionOptions } from '../src/connection/connection.ts';

export type BrokerKind = 'embedded' | 'mosquitto';
export const BROKERS: BrokerKind[] = ['embedded', 'mosquitto'];

export interface TestDevice {
  actor: Actor;
  identity: DeviceIdentity;
  /** Connection options for the SDK: this broker, this device's login. */
  connection: RelayConnectionOptions;
}

export interface DeviceSystem {
  relay: Relay;
  wallet: Awaited<ReturnType<typeof setUpParties>>['wallet'];
  /** Stadium Parking, whose server is the gate. */
  merchant: Party<Merchant>;
  gate: ParkingGate;
  addDevice(profile: NonNullable<Actor['profile']>, mandate?: Record<string, unknown> & { kind: 'rules' | 'quota' | 'confirm_each' }): Promise<TestDevice>;
  /** Takes the broker away (a dead zone for every device) until `restoreBroker`. */
  stopBroker(): Promise<void>;
  restoreBroker(): Promise<void>;
  count(sql: string, params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** "parking and tolls under 50.00 CNY, while driving, at this operator". */
export function parkingRules(merchantId: string) {
  return {
    kind: 'rules' as const,
    rules: [{
      id: 'parking', description: 'parking and tolls under 50 CNY while driving', currency: 'CNY', maxPerPaymentMinor: 50_00,
      merchants: { allow: [merchantId] }, categories: { allow: ['parking', 'tolls'] }, whileDriving: true,
    }],
  };
}

export async function startDeviceSystem(broker: BrokerKind): Promise<DeviceSystem> {
  let documented: DocumentedMosquitto | undefined;
  let mosquitto: PrivateMosquitto | undefined;
  let relay: Relay;
  let dataDir: string | undefined;
  const secrets = new Map<string, string>();
  if (broker === 'mosquitto') {
    const shareGroup = `g${randomString(12)}`;
    documented = await startDocumentedMosquitto(
      (url, username, password) => mqtt.connectAsync(url, { protocolVersion: 5, username, password, reconnectPeriod: 0, connectTimeout: 1000 }, false),
      { shareGroup },
    );
    mosquitto = documented.mosquitto;
    relay = await startTestRelay('postgres', { mqttUrl: mosquitto.url, mqttUsername: documented.relay.username, mqttPassword: documented.relay.password, mqttShareGroup: shareGroup });
  } else {
    // On disk, so that the relay (and its embedded broker) can be stopped and started again with its data.
    dataDir = mkdtempSync(join(tmpdir(), 'agentpay-device-'));
    relay = await startTestRelay('pglite', { inMemory: false, dataDir });
  }
  const parties = await setUpParties(relay);
  // The parking operator registers the origin of its own server, where devices hand it tokens.
  const gate = await startParkingGate();
  const merchant = await registerMerchant(relay, 'Stadium Parking', [new URL(gate.notifyUrl).origin]);
  gate.chargeAs(merchant);
  let stoppedRelayConfig: { httpPort: number; mqttPort: number } | undefined;

  return {
    get relay() {
      return relay;
    },
    wallet: parties.wallet,
    merchant,
    gate,
    async addDevice(profile, mandate) {
      const device = await addActor(relay, parties.wallet.client, 'device', profile);
      if (mandate) await setMandate(parties.wallet, device.record.id, mandate);
      const identity = { deviceId: device.record.id, privateKey: device.signer.privateKey };
      let login: BrokerLogin = 'signed';
      if (mosquitto && documented) {
        const password = await documented.provisionDevice(device.record.id);
        secrets.set(device.record.id, password);
        login = { username: device.record.id, password };
        await eventually(() => mqtt.connectAsync(mosquitto!.url, { protocolVersion: 5, ...login as object, reconnectPeriod: 0, connectTimeout: 1000 }, false).then((c) => c.endAsync(true)));
      }
      return {
        actor: device.record,
        identity,
        connection: { url: relay.mqttUrl, identity, login, protocolVersion: mosquitto ? 5 : 4, backoff: { initialMs: 50, maxMs: 500 } },
      };
    },
    async stopBroker() {
      if (mosquitto) return mosquitto.kill();
      // The embedded broker lives in the relay: the laptop's relay stops and starts again on the same ports.
      stoppedRelayConfig = { httpPort: Number(new URL(relay.httpUrl).port), mqttPort: Number(new URL(relay.mqttUrl).port) };
      await relay.close();
    },
    async restoreBroker() {
      if (mosquitto) return mosquitto.restart();
      relay = await startTestRelay('pglite', { inMemory: false, dataDir, ...stoppedRelayConfig! });
    },
    async count(sql, params) {
      const [row] = await relay.ctx.db.query<{ n: number }>(sql, params);
      return Number(row!.n);
    },
    async close() {
      await gate.close();
      if (mosquitto) await dropSchema(relay);
      else await relay.close().catch(() => {});
      await documented?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A tunnel between a device and the broker: `cut()` drops the device's
 * connection and refuses new ones (a dead zone for this device only; the relay
 * and the wallet stay up), `restore()` lets it through again.
 */
export interface Tunnel {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTunnel(brokerUrl: string): Promise<Tunnel> {
  const target = new URL(brokerUrl);
  const sockets = new Set<Socket>();
  let open = true;
  const server = createNetServer((device) => {
    if (!open) return void device.destroy();
    const broker = connect(Number(target.port), target.hostname);
    device.setNoDelay(true);
    broker.setNoDelay(true);
    for (const [a, b] of [[device, broker], [broker, device]] as const) {
      sockets.add(a);
      a.on('close', () => b.destroy());
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut,
    restore: () => void (open = true),
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ParkingGate {
  /** The notify URL a gate's signed payment code names. */
  notifyUrl: string;
  /** Charges the gate made, in order. */
  charges: Charge[];
  /** What the gate charges for `reference` (a parking session). */
  expect(reference: string, amount: { minor: number; currency: string }): void;
  close(): Promise<void>;
}

async function registerMerchant(relay: Relay, name: string, origins: string[]): Promise<Party<Merchant>> {
  const key = await generateSigningKey();
  const anonymous = new RelayHttpClient(relay.httpUrl, undefined);
  const record = await anonymous.as({ id: 'self', privateKey: key.privateKey }).post<Merchant>('/v1/merchants', { name, publicKey: key.publicJwk, origins });
  const signer = { id: record.id, privateKey: key.privateKey };
  return { signer, client: anonymous.as(signer), record };
}

/** The parking operator's server: takes `{ reference, token }` and charges the token at the relay. */
async function startParkingGate(): Promise<ParkingGate & { chargeAs(merchant: Party<unknown>): void }> {
  let merchant: Party<unknown> | undefined;
  const sessions = new Map<string, { minor: number; currency: string }>();
  const charges: Charge[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { reference, token } = JSON.parse(body) as { reference: string; token: string };
      const amount = sessions.get(reference);
      if (!amount) throw new Error(`no parking session ${reference}`);
      const charge = await merchant!.client.post<Charge>('/v1/merchant/charges', { token, amount, reference });
      charges.push(charge);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(charge));
    } catch (error) {
      res.writeHead(402, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    notifyUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    charges,
    expect: (reference, amount) => void sessions.set(reference, amount),
    chargeAs: (who) => void (merchant = who),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` (after `refresh`, if given) until it holds, or fails naming it. */
export async function until(condition: () => boolean, ms = 10_000, refresh?: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    await refresh?.();
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${condition.toString()}`);
    await sleep(20);
  }
}
