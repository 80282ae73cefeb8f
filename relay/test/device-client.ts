import { DeviceEvent, randomString, type Signer, signCanonical, signMqttMessage } from '@agentpay/protocol';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Socket } from 'node:net';
import { MQTT_CONNECT_AUDIENCE } from '../src/relay.ts';
import { topics } from '../src/mqtt/broker.ts';

/** A request as a device sends it; loose on purpose, so tests can send invalid ones. */
export type DeviceRequestBody = { type: string; requestId?: string } & Record<string, unknown>;

export interface DeviceClientOptions {
  /** mqtt://host:port of the embedded broker or of an external one. */
  url: string;
  /** The device's id and private key: it signs every request, and the embedded broker's password. */
  signer: Signer;
  /** 4 (MQTT 3.1.1) for the embedded broker, 5 for Mosquitto. */
  protocolVersion: 4 | 5;
  /**
   * How to log in. 'signed' (default): user name = device id, password = a
   * fresh JWS over {aud: "mqtt connect", ts, nonce} (the embedded broker).
   * 'none': no credentials (an anonymous broker). Or explicit ones.
   */
  credentials?: 'signed' | 'none' | { username: string; password: string };
  clientId?: string;
  /** Subscribe to the device's own events topic on connect (default true). */
  subscribe?: boolean;
  /**
   * Events to set aside in `ignored` instead of delivering, e.g. the answers of
   * other relays attached to a shared broker with their own share group.
   */
  ignore?: (event: DeviceEvent) => boolean;
}

/**
 * On a shared broker, every relay with its own share group gets a copy of
 * every request. A relay that does not know this device answers that it is an
 * unknown signer: an answer that never comes from the relay under test, which
 * knows all of its devices.
 */
export function fromForeignRelay(deviceId: string): (event: DeviceEvent) => boolean {
  return (event) => event.type === 'error' && event.error.code === 'unauthenticated' && event.error.message.startsWith(`unknown signer "${deviceId}"`);
}

/** The password a device presents to the embedded broker: a fresh signature, never reused. */
export function connectPassword(signer: Signer, now = Date.now()): Promise<string> {
  return signCanonical({ aud: MQTT_CONNECT_AUDIENCE, ts: now, nonce: randomString(24) }, signer.privateKey, signer.id);
}

interface Waiter {
  match: (event: DeviceEvent) => boolean;
  resolve: (event: DeviceEvent) => void;
}

/**
 * A device as a test drives it: connects, subscribes to its own events at
 * QoS 1, sends signed requests and waits for the relay's answers.
 */
export class DeviceClient {
  /** Every event received, in order, including ones already taken by request/nextEvent. */
  readonly received: DeviceEvent[] = [];
  /** Messages on the events topic that were not DeviceEvents (should stay empty). */
  readonly garbage: string[] = [];
  /** Events the `ignore` option set aside. */
  readonly ignored: DeviceEvent[] = [];
  readonly #unclaimed: DeviceEvent[] = [];
  readonly #waiters = new Set<Waiter>();

  private constructor(
    readonly client: MqttClient,
    readonly signer: Signer,
    ignore: (event: DeviceEvent) => boolean = () => false,
  ) {
    client.on('message', (topic, payload) => {
      if (topic !== topics.events(signer.id)) return;
      const text = payload.toString('utf8');
      let parsed: ReturnType<typeof DeviceEvent.safeParse>;
      try {
        parsed = DeviceEvent.safeParse(JSON.parse(text));
      } catch {
        this.garbage.push(text);
        return;
      }
      if (!parsed.success) {
        this.garbage.push(text);
        return;
      }
      const event = parsed.data;
      if (ignore(event)) {
        this.ignored.push(event);
        return;
      }
      this.received.push(event);
      for (const waiter of this.#waiters) {
        if (waiter.match(event)) {
          this.#waiters.delete(waiter);
          waiter.resolve(event);
          return;
        }
      }
      this.#unclaimed.push(event);
    });
  }

  static async connect(options: DeviceClientOptions): Promise<DeviceClient> {
    const { signer } = options;
    const credentials = options.credentials ?? 'signed';
    const auth: Pick<IClientOptions, 'username' | 'password'> =
      credentials === 'signed'
        ? { username: signer.id, password: await connectPassword(signer) }
        : credentials === 'none'
          ? {}
          : credentials;
    const client = await mqtt.connectAsync(options.url, {
      protocolVersion: options.protocolVersion,
      clientId: options.clientId ?? `${signer.id}-${randomString(6)}`,
      ...auth,
      // A refused login or a kick must show in the test, not be papered over by a reconnect
      // (and a reconnect would replay the single-use connect password anyway).
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    noDelay(client);
    client.on('connect', () => noDelay(client));
    client.on('error', () => {}); // surfaced through the promises that fail
    const device = new DeviceClient(client, signer, options.ignore);
    if (options.subscribe ?? true) {
      const [granted] = await client.subscribeAsync(topics.events(signer.id), { qos: 1 });
      if (!granted || granted.qos !== 1) throw new Error(`events subscription not granted at QoS 1: ${JSON.stringify(granted)}`);
    }
    return device;
  }

  get id(): string {
    return this.signer.id;
  }

  get requestsTopic(): string {
    return topics.requests(this.signer.id);
  }

  /** The signed payload for `body`: by this device on its own topic unless told otherwise. */
  sign(body: unknown, options: { signer?: Signer; topic?: string; now?: number } = {}): Promise<string> {
    const signer = options.signer ?? this.signer;
    return signMqttMessage({ topic: options.topic ?? this.requestsTopic, body, privateKey: signer.privateKey, kid: signer.id, now: options.now });
  }

  /** Publishes a raw payload at QoS 1 (on the device's requests topic by default); resolves on PUBACK. */
  async publish(payload: string | Buffer, topic = this.requestsTopic): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1 });
  }

  /** Signs and sends `body`, and resolves with the event that answers its requestId. */
  async request(body: DeviceRequestBody, options: { timeoutMs?: number; payload?: string } = {}): Promise<DeviceEvent> {
    if (!body.requestId) throw new Error('request() needs a requestId to match the answer');
    const requestId = body.requestId;
    const answer = this.nextEvent((e) => e.requestId === requestId, options.timeoutMs);
    const payload = options.payload ?? (await this.sign(body));
    await this.publish(payload);
    return answer;
  }

  /**
   * The first event matching `predicate` that no earlier request/nextEvent
   * took: one already received, or the next one to arrive.
   */
  nextEvent(predicate: (event: DeviceEvent) => boolean = () => true, timeoutMs = 5000): Promise<DeviceEvent> {
    const index = this.#unclaimed.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.#unclaimed.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`${this.id}: no matching event within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Events received but not yet taken by request/nextEvent. */
  unclaimed(): DeviceEvent[] {
    return [...this.#unclaimed];
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** mqtt.js never disables Nagle's algorithm; with it each QoS 1 round trip waits ~40-90 ms for a delayed ACK. */
function noDelay(client: MqttClient): void {
  if (client.stream instanceof Socket) client.stream.setNoDelay(true);
}

/** A fresh request id: the device's idempotency key. */
export function newRequestId(prefix = 'req'): string {
  return `${prefix}-${randomString(16)}`;
}
