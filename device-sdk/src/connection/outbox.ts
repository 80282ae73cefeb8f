import type { DeviceEvent, DeviceRequest } from '@agentpay/protocol';

/** The relay's answer to one request: the event carrying its requestId. */
export type DeviceAnswer = DeviceEvent & { requestId: string };

/** The first resend on a connection waits this long; each next one twice as long, up to the connection's `resendAfterMs`. */
const FIRST_RESEND_MS = 2000;

/** A request waiting for its answer. */
export interface Queued {
  body: DeviceRequest;
  /** How often it went out on the wire. */
  attempts: number;
  /** How often it went out on the wire since the connection last came up: the resend schedule counts from there. */
  sendsOnConnection: number;
  resend?: ReturnType<typeof setTimeout>;
  resolve(answer: DeviceAnswer): void;
  reject(error: Error): void;
}

/**
 * Requests waiting for the relay's answer, by requestId, oldest first. The
 * outbox decides when to send one again; the connection does the sending.
 */
export class Outbox {
  readonly #queued = new Map<string, Queued>();

  constructor(private readonly resendAfterMs: number) {}

  get size(): number {
    return this.#queued.size;
  }

  all(): Queued[] {
    return [...this.#queued.values()];
  }

  has(requestId: string): boolean {
    return this.#queued.has(requestId);
  }

  /** Queues `body`; a second request with a requestId already queued waits for the same answer. */
  add(body: DeviceRequest, onNew: (queued: Queued) => void): Promise<DeviceAnswer> {
    const existing = this.#queued.get(body.requestId);
    if (existing) return new Promise((resolve, reject) => chain(existing, resolve, reject));
    return new Promise((resolve, reject) => {
      const queued: Queued = { body, attempts: 0, sendsOnConnection: 0, resolve, reject };
      this.#queued.set(body.requestId, queued);
      onNew(queued);
    });
  }

  /**
   * Counts a send and arms the next one: 2 s, 4 s, 8 s, … up to `resendAfterMs`, counted from the last time the
   * connection came up, so that an answer lost just after a reconnect is asked for again soon. Safe: the
   * requestId is the idempotency key.
   */
  sent(queued: Queued, sendAgain: () => void): void {
    clearTimeout(queued.resend);
    queued.attempts += 1;
    queued.sendsOnConnection += 1;
    queued.resend = setTimeout(sendAgain, Math.min(this.resendAfterMs, FIRST_RESEND_MS * 2 ** (queued.sendsOnConnection - 1)));
  }

  /** Off the line: no resends until it is back, when each request goes out at once and its schedule starts over. */
  pause(): void {
    for (const queued of this.#queued.values()) {
      clearTimeout(queued.resend);
      queued.sendsOnConnection = 0;
    }
  }

  /** Settles the request `answer` answers; false for an answer to nothing queued (a duplicate). */
  answer(answer: DeviceAnswer): boolean {
    const queued = this.#queued.get(answer.requestId);
    if (!queued) return false;
    this.#take(queued).resolve(answer);
    return true;
  }

  /** Gives every queued request the same error: the relay refuses the device itself. */
  answerAll(refusal: Pick<Extract<DeviceEvent, { type: 'error' }>, 'type' | 'error'>): void {
    for (const queued of this.all()) this.#take(queued).resolve({ type: 'error', error: refusal.error, requestId: queued.body.requestId });
  }

  rejectAll(error: Error): void {
    for (const queued of this.all()) this.#take(queued).reject(error);
  }

  #take(queued: Queued): Queued {
    clearTimeout(queued.resend);
    this.#queued.delete(queued.body.requestId);
    return queued;
  }
}

function chain(queued: Queued, resolve: (a: DeviceAnswer) => void, reject: (e: Error) => void): void {
  const { resolve: first, reject: firstReject } = queued;
  queued.resolve = (answer) => {
    first(answer);
    resolve(answer);
  };
  queued.reject = (error) => {
    firstReject(error);
    reject(error);
  };
}
