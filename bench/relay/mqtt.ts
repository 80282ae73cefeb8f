/**
 * Device authorization over MQTT against the broker's bare round trips,
 * sampled interleaved in one loop so that machine noise hits all alike.
 */
import { type Intent, randomString, signCanonical, signMqttMessage } from '@agentpay/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedBroker } from '../../relay/src/mqtt/broker.ts';
import { startDeviceBridge } from '../../relay/src/mqtt/bridge.ts';
import { topics } from '../../relay/src/mqtt/broker.ts';
import { MQTT_CONNECT_AUDIENCE } from '../../relay/src/relay.ts';
import { MOSQUITTO_URL } from '../../relay/test/harness.ts';
import type { Database } from '../../relay/src/store/database.ts';
import { checkApproved, type Bed } from './setup.ts';

/**
 * embedded: the relay's own aedes broker. mosquitto: the shared Mosquitto at
 * 127.0.0.1:1883 as configured on this machine. mosquitto-nodelay: a private
 * Mosquitto started for the bench with `set_tcp_nodelay true`.
 */
export type BrokerKind = 'embedded' | 'mosquitto' | 'mosquitto-nodelay';
export const BROKERS: BrokerKind[] = ['embedded', 'mosquitto', 'mosquitto-nodelay'];

export interface MqttSamples {
  broker: BrokerKind;
  /** Device publishes a signed intent.create (QoS 1) → relay bridge → decision event back (QoS 1). */
  intent: number[];
  /** Device-side ES256 signing of each request, before the clock starts. */
  signing: number[];
  /** One client publishes QoS 1 to a topic it subscribes to: one pass through the broker. */
  loop: number[];
  /** Request → echo client → answer: the intent's topology (two passes) with no work in the middle. */
  echo: number[];
  /** The store's floor transaction, one commit, sampled in the same loop. */
  commit: number[];
  /**
   * Each intent split at the relay's store calls (ctx.db wrapped): publish → findPrincipal starts
   * (broker hop in, bridge, JWS header); findPrincipal; → transaction called (ES256 verify, zod,
   * SHA-256); the transaction (runCommand + createIntent, to COMMIT); → device hears the decision.
   */
  split: { inbound: number[]; findPrincipal: number[]; verify: number[]; transaction: number[]; outbound: number[] };
  /** Samples were cut short by the time cap. */
  capped: boolean;
}

const TIMEOUT_MS = 10_000;

function noDelay(client: MqttClient): void {
  if (client.stream instanceof Socket) client.stream.setNoDelay(true);
}

async function connect(url: string, options: mqtt.IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, clientId: `bench-${randomString(10)}`, ...options });
  // mqtt.js never sets TCP_NODELAY: without it each QoS 1 round trip waits for a delayed ACK.
  noDelay(client);
  client.on('connect', () => noDelay(client));
  client.on('error', () => {}); // failures surface as timeouts of the sample that waits
  return client;
}

/** Resolves messages by a key read from them; one waiter per key. */
class Waiters {
  private readonly waiting = new Map<string, (payload: string) => void>();

  wait(key: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`no answer for ${key} within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.waiting.set(key, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  settle(key: string | undefined, payload: string): void {
    if (key === undefined) return;
    const resolve = this.waiting.get(key);
    if (!resolve) return;
    this.waiting.delete(key);
    resolve(payload);
  }
}

/**
 * Runs `samples` interleaved iterations (plus a tenth as warm-up) of: bare
 * loop, echo, floor commit and a signed intent, rotating their order.
 */
export async function sampleMqtt(bed: Bed, broker: BrokerKind, samples: number, maxMs: number): Promise<MqttSamples> {
  const closers: (() => Promise<unknown>)[] = [];
  // Timestamps of the relay's store calls during an intent (sequential, so one set at a time).
  const marks = { queryStart: 0, queryEnd: 0, txStart: 0, txEnd: 0 };
  const ctx = bed.relay.ctx;
  const original = ctx.db;
  const marked: Database = {
    ...original,
    async query(sql, params) {
      marks.queryStart = performance.now();
      try {
        return await original.query(sql, params);
      } finally {
        marks.queryEnd = performance.now();
      }
    },
    async transaction(work) {
      marks.txStart = performance.now();
      try {
        return await original.transaction(work);
      } finally {
        marks.txEnd = performance.now();
      }
    },
  };
  ctx.db = marked;
  closers.push(async () => {
    ctx.db = original;
  });
  try {
    const [device] = await bed.newActors(1, 'device');
    const deviceId = device!.signer.id;
    const tag = randomString(10);

    let deviceUrl: string;
    let deviceAuth: mqtt.IClientOptions;
    let bareUrl: string;
    let bareAuth: mqtt.IClientOptions;
    let loopTopic: string;
    let echoRequests: string;
    let echoEvents: string;
    let echoFilter: string;
    if (broker === 'embedded') {
      // The relay's own broker: the device logs in with a signed password.
      deviceUrl = bed.relay.mqttUrl;
      const password = await signCanonical({ aud: MQTT_CONNECT_AUDIENCE, ts: Date.now(), nonce: randomString(24) }, device!.signer.privateKey, deviceId);
      deviceAuth = { protocolVersion: 4, username: deviceId, password };
      // Its ACL lets a device neither hear itself nor echo, and the relay's own login secret stays
      // inside startRelay: the bare round trips use a second instance of the same broker code, in
      // this same process and event loop, with every client logged in as the relay principal.
      const bare = await startEmbeddedBroker({ port: 0, auth: { authenticate: async () => 'relay' } });
      closers.push(() => bare.close());
      bareUrl = bare.url;
      bareAuth = { protocolVersion: 4, username: 'bench', password: 'bench' };
      loopTopic = `agentpay/v1/bench/${tag}/loop`;
      echoRequests = topics.requests(`echo${tag}`);
      echoEvents = topics.events(`echo${tag}`);
      echoFilter = topics.allRequests;
    } else {
      let url = MOSQUITTO_URL;
      if (broker === 'mosquitto-nodelay') {
        const own = await startPrivateMosquitto();
        closers.push(own.close);
        url = own.url;
      }
      // Mosquitto 2 (MQTT 5, shared subscriptions): the relay gets a bridge there with a group of its own.
      const bridge = await startDeviceBridge(bed.relay.ctx, { url, shareGroup: `bench_${tag}` });
      closers.push(() => bridge.close());
      deviceUrl = bareUrl = url;
      deviceAuth = bareAuth = { protocolVersion: 5 };
      // Outside agentpay/ so that no relay listening on this shared broker sees the echo requests.
      loopTopic = `bench/${tag}/loop`;
      echoRequests = `bench/${tag}/devices/echo/requests`;
      echoEvents = `bench/${tag}/devices/echo/events`;
      echoFilter = `bench/${tag}/devices/+/requests`;
    }

    // The device.
    const decisions = new Waiters();
    const deviceClient = await connect(deviceUrl, deviceAuth);
    closers.push(() => deviceClient.endAsync(true));
    deviceClient.on('message', (_topic, payload) => {
      // Other relays on a shared Mosquitto may answer too (with errors, requestId null): only our requestIds count.
      const text = payload.toString('utf8');
      let requestId: string | undefined;
      try {
        requestId = (JSON.parse(text) as { requestId?: string | null }).requestId ?? undefined;
      } catch {
        return;
      }
      decisions.settle(requestId, text);
    });
    await deviceClient.subscribeAsync(topics.events(deviceId), { qos: 1 });

    // Bare loop: one client hears its own QoS 1 publishes.
    const loops = new Waiters();
    const loopClient = await connect(bareUrl, bareAuth);
    closers.push(() => loopClient.endAsync(true));
    loopClient.on('message', (_topic, payload) => loops.settle(payload.toString('utf8'), ''));
    await loopClient.subscribeAsync(loopTopic, { qos: 1 });

    // Echo: a responder answers each request on the matching events topic, like the relay's bridge does.
    const echoes = new Waiters();
    const responder = await connect(bareUrl, bareAuth);
    closers.push(() => responder.endAsync(true));
    responder.on('message', (_topic, payload) => {
      responder.publishAsync(echoEvents, payload, { qos: 1 }).catch(() => undefined);
    });
    await responder.subscribeAsync(echoFilter, { qos: 1 });
    const requester = await connect(bareUrl, bareAuth);
    closers.push(() => requester.endAsync(true));
    requester.on('message', (_topic, payload) => echoes.settle(payload.toString('utf8'), ''));
    await requester.subscribeAsync(echoEvents, { qos: 1 });

    const out: MqttSamples = {
      broker, intent: [], signing: [], loop: [], echo: [], commit: [],
      split: { inbound: [], findPrincipal: [], verify: [], transaction: [], outbound: [] }, capped: false,
    };
    const requestsTopic = topics.requests(deviceId);
    const warmup = Math.max(5, Math.round(samples / 10));
    const steps: ((record: boolean) => Promise<void>)[] = [
      async (record) => {
        const key = `loop-${randomString(12)}`;
        const t0 = performance.now();
        const heard = loops.wait(key);
        loopClient.publishAsync(loopTopic, key, { qos: 1 }).catch(() => undefined);
        await heard;
        if (record) out.loop.push(performance.now() - t0);
      },
      async (record) => {
        const key = `echo-${randomString(12)}`;
        const t0 = performance.now();
        const heard = echoes.wait(key);
        requester.publishAsync(echoRequests, key, { qos: 1 }).catch(() => undefined);
        await heard;
        if (record) out.echo.push(performance.now() - t0);
      },
      async (record) => {
        const t0 = performance.now();
        await bed.floorTx(0);
        if (record) out.commit.push(performance.now() - t0);
      },
      async (record) => {
        const requestId = `req-${randomString(16)}`;
        const s0 = performance.now();
        const jws = await signMqttMessage({
          topic: requestsTopic, body: { type: 'intent.create', requestId, intent: { ...bed.body, channel: 'device-scan' } }, privateKey: device!.signer.privateKey, kid: deviceId,
        });
        marks.queryStart = marks.queryEnd = marks.txStart = marks.txEnd = 0;
        const t0 = performance.now();
        const answer = decisions.wait(requestId);
        deviceClient.publishAsync(requestsTopic, jws, { qos: 1 }).catch(() => undefined);
        const event = JSON.parse(await answer) as { type: string; intent?: Intent; error?: unknown };
        const t1 = performance.now();
        if (event.type !== 'intent') throw new Error(`device ${deviceId} got ${JSON.stringify(event)}`);
        checkApproved(event.intent);
        if (record) {
          out.intent.push(t1 - t0);
          out.signing.push(t0 - s0);
          if (marks.queryStart > t0 && marks.txEnd > marks.txStart && marks.txStart >= marks.queryEnd) {
            out.split.inbound.push(marks.queryStart - t0);
            out.split.findPrincipal.push(marks.queryEnd - marks.queryStart);
            out.split.verify.push(marks.txStart - marks.queryEnd);
            out.split.transaction.push(marks.txEnd - marks.txStart);
            out.split.outbound.push(t1 - marks.txEnd);
          }
        }
      },
    ];
    const started = performance.now();
    for (let i = 0; i < warmup + samples; i++) {
      // A slow broker (e.g. Nagle's algorithm on its sockets) must not eat the bench's time budget.
      if (i >= warmup + 30 && performance.now() - started > maxMs) {
        out.capped = true;
        break;
      }
      for (let s = 0; s < steps.length; s++) await steps[(i + s) % steps.length]!(i >= warmup);
    }
    return out;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Mosquitto of our own on a free port, with Nagle's algorithm off on its sockets. */
async function startPrivateMosquitto(): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nlog_dest none\n`);
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `mqtt://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 });
      await probe.endAsync(true);
      return { url, close };
    } catch (error) {
      if (attempt >= 50 || child.exitCode !== null) {
        await close();
        throw new Error(`private mosquitto did not start on ${port}: ${String(error)} ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
