import { DeviceEvent, DeviceRequest, deviceTopics, randomString, signMqttMessage } from '@agentpay/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { type Backoff, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { Emitter } from './emitter.ts';
import { type BrokerLogin, credentialsFor, type DeviceIdentity } from './login.ts';
import { type DeviceAnswer, Outbox, type Queued } from './outbox.ts';
import { isLoginRefusal, isServerUnavailable, LoginRefusedError, REFUSES_DEVICE } from './refusals.ts';

export type { DeviceAnswer } from './outbox.ts';
export { LoginRefusedError, REFUSES_DEVICE } from './refusals.ts';

export interface RelayConnectionOptions {
  /** Broker URL: `mqtt://`, `mqtts://`, `ws://` or `wss://` (the relay's embedded broker or an external one). */
  url: string;
  /** Who the device is: its id and the private key that signs its logins and requests. */
  identity: DeviceIdentity;
  /** How to log in to the broker; default `'signed'` (the embedded broker). */
  login?: BrokerLogin;
  /** 4 = MQTT 3.1.1 (default; the embedded broker speaks only this), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  /** Delays between reconnect attempts; default 250 ms doubling to 5 s, ±20 % (DEFAULT_BACKOFF). */
  backoff?: Partial<Backoff>;
  /**
   * Longest wait for an answer before sending a request again, in ms (default 10 000). The first resend comes
   * after 2 s and the wait doubles up to this, counted from the last reconnect (where every queued request goes
   * out at once). Safe: the requestId is its idempotency key. Early resends matter
   * after a broker restart, when the relay may subscribe again a moment after the device.
   */
  resendAfterMs?: number;
  /** How long to wait for the broker to accept a connection, in ms (default 5000). */
  connectTimeoutMs?: number;
  /** The clock requests are signed with; default `Date.now`. */
  now?: () => number;
}

/** `connecting` → `online` ⇄ `offline` → … → `closed`. Requests made while not online wait in the queue. */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'closed';

/** An intent the relay pushed unasked (a held payment approved, denied or expired). */
export type IntentPush = Extract<DeviceEvent, { type: 'intent' }> & { requestId: null };

export interface ConnectionEvents extends Record<string, unknown> {
  state: { state: ConnectionState; error?: Error };
  push: IntentPush;
  /** A request went out on the wire (again, when `attempt` > 1). */
  sent: { requestId: string; attempt: number };
  /**
   * The connection dropped or an attempt to connect failed: attempt number `attempt` since the last session
   * (1 = the first) starts in `inMs` ms, on the backoff schedule. `error` is what the last attempt ended with.
   */
  reconnect: { attempt: number; inMs: number; error?: Error };
}


/**
 * The device's line to the relay over MQTT (docs/mqtt.md). Every request is
 * queued until the relay answers it: made in a tunnel, it goes out when the
 * network returns, and it is resent after a drop or a silence with the same
 * requestId, which the relay runs once. Created online or not; it keeps
 * reconnecting with backoff until closed.
 */
export class RelayConnection {
  readonly events = new Emitter<ConnectionEvents>();
  readonly #options: Required<Omit<RelayConnectionOptions, 'backoff'>> & { backoff: Backoff };
  readonly #outbox: Outbox;
  readonly #eventsTopic: string;
  readonly #requestsTopic: string;
  #client: MqttClient | undefined;
  #state: ConnectionState = 'connecting';
  #attempt = 0;
  /** The last attempt reached the broker, which answered "server unavailable" (CONNACK 3). */
  #unavailable = false;
  #reconnect: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RelayConnectionOptions) {
    this.#options = {
      login: 'signed', protocolVersion: 4, resendAfterMs: 10_000, connectTimeoutMs: 5000, now: Date.now,
      ...options,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    };
    this.#outbox = new Outbox(this.#options.resendAfterMs);
    this.#eventsTopic = deviceTopics.events(options.identity.deviceId);
    this.#requestsTopic = deviceTopics.requests(options.identity.deviceId);
    void this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get deviceId(): string {
    return this.#options.identity.deviceId;
  }

  /** Requests not yet answered, oldest first. */
  get queued(): DeviceRequest[] {
    return this.#outbox.all().map((q) => q.body);
  }

  /**
   * Sends a request and resolves with the relay's answer, however long the
   * network is away. Rejects at once, naming the field, if `body` is not a
   * valid DeviceRequest; otherwise only when the connection is closed, or with
   * LoginRefusedError when the broker refuses the device's login.
   */
  request(body: DeviceRequest): Promise<DeviceAnswer> {
    const parsed = DeviceRequest.safeParse(body);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return Promise.reject(new TypeError(`not a valid device request: ${detail}`));
    }
    if (this.#state === 'closed') return Promise.reject(new Error('the connection to the relay is closed'));
    return this.#outbox.add(parsed.data, (queued) => {
      if (this.#state === 'online') void this.#send(queued);
    });
  }

  /** Stops reconnecting, drops the queue (its promises reject) and disconnects. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    clearTimeout(this.#reconnect);
    this.#outbox.rejectAll(new Error('the connection to the relay was closed before the relay answered'));
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync(true).catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#state === 'closed') return;
    const { url, identity, login, protocolVersion, connectTimeoutMs, now } = this.#options;
    let lastError: Error | undefined;
    let client: MqttClient;
    try {
      client = mqtt.connect(url, {
        ...(await credentialsFor(login, identity, now())),
        protocolVersion,
        // A fresh id each time: the broker may still hold the last connection, lost in a tunnel, under the old one.
        clientId: `${identity.deviceId}-${randomString(8)}`,
        clean: true,
        // We reconnect ourselves: a signed password works once, so each attempt signs a new one.
        reconnectPeriod: 0,
        connectTimeout: connectTimeoutMs,
        resubscribe: false,
      });
    } catch (error) {
      this.#dropped(error as Error);
      return;
    }
    // Closed while the password was being signed.
    if (this.state === 'closed') {
      client.end(true);
      return;
    }
    this.#client = client;
    client.on('connect', () => void this.#online(client));
    client.on('message', (topic, payload) => this.#receive(topic, payload));
    client.on('error', (error) => (lastError = error));
    client.on('close', () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      client.removeAllListeners('close');
      client.end(true);
      this.#dropped(lastError);
    });
  }

  async #online(client: MqttClient): Promise<void> {
    // Nagle's algorithm would hold each small MQTT packet back ~40 ms; mqtt.js never turns it off.
    (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    try {
      const [granted] = await client.subscribeAsync(this.#eventsTopic, { qos: 1 });
      if (!granted || granted.qos > 2) throw new Error(`the broker refused the subscription to ${this.#eventsTopic}`);
    } catch (error) {
      client.emit('error', error as Error);
      client.end(true);
      return;
    }
    if (this.#client !== client) return;
    // A session that was up: the next drop starts the schedule from its first step.
    this.#attempt = 0;
    this.#unavailable = false;
    // What was queued before: listeners of 'online' may queue more, which request() sends itself.
    const queued = this.#outbox.all();
    this.#setState('online');
    for (const request of queued) void this.#send(request);
  }

  #dropped(error?: Error): void {
    if (this.#state === 'closed') return;
    this.#setState('offline', error);
    if (error && isLoginRefusal(error)) {
      // Waiting would not help the user, who is waiting for a gate or a read-back: say it now.
      const refused = new LoginRefusedError(`the relay's broker refused this device's login (${error.message}): it may have been removed from the wallet, or its clock is wrong`);
      this.#outbox.rejectAll(refused);
    }
    this.#outbox.pause();
    // "Server unavailable" comes from a broker that is up again and whose relay is about to serve (or whose store
    // is away for a moment): the first such answer starts the schedule over rather than waiting the long step
    // reached while the broker was away. Answers of that kind in a row grow it again.
    const unavailable = error !== undefined && isServerUnavailable(error);
    if (unavailable && !this.#unavailable) this.#attempt = 0;
    this.#unavailable = unavailable;
    const inMs = backoffDelay(this.#attempt++, this.#options.backoff);
    this.#reconnect = setTimeout(() => void this.#connect(), inMs);
    this.events.emit('reconnect', error ? { attempt: this.#attempt, inMs, error } : { attempt: this.#attempt, inMs });
  }

  async #send(queued: Queued): Promise<void> {
    const client = this.#client;
    if (!client || this.#state !== 'online') return;
    const { identity, now } = this.#options;
    try {
      // Signed afresh on every send: a request queued in a long tunnel would otherwise carry a stale timestamp.
      const payload = await signMqttMessage({ topic: this.#requestsTopic, body: queued.body, privateKey: identity.privateKey, kid: identity.deviceId, now: now() });
      if (!this.#outbox.has(queued.body.requestId)) return;
      this.#outbox.sent(queued, () => void this.#send(queued));
      this.events.emit('sent', { requestId: queued.body.requestId, attempt: queued.attempts });
      await client.publishAsync(this.#requestsTopic, payload, { qos: 1 });
    } catch {
      // Dropped mid-send: the reconnect sends it again.
    }
  }

  #receive(topic: string, payload: Uint8Array): void {
    if (topic !== this.#eventsTopic) return;
    let event: DeviceEvent;
    try {
      const parsed = DeviceEvent.safeParse(JSON.parse(new TextDecoder().decode(payload)));
      if (!parsed.success) return;
      event = parsed.data;
    } catch {
      return;
    }
    if (event.requestId === null) {
      if (event.type === 'intent') this.events.emit('push', event as IntentPush);
      // The relay could not read which request this answers, but it says the device itself cannot be served:
      // every queued request would get the same answer, and resending cannot change it.
      if (event.type === 'error' && REFUSES_DEVICE.has(event.error.code)) this.#outbox.answerAll(event);
      return;
    }
    // QoS 1 and resends can bring one answer twice; the first one counts.
    this.#outbox.answer(event as DeviceAnswer);
  }

  #setState(state: ConnectionState, error?: Error): void {
    if (this.#state === state && !error) return;
    this.#state = state;
    this.events.emit('state', error ? { state, error } : { state });
  }
}
