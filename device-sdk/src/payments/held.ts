import { Intent } from '@agentpay/protocol';
import { LoginRefusedError, REFUSES_DEVICE, type RelayConnection } from '../connection/connection.ts';
import { newRequestId } from '../connection/request-id.ts';

/** After `confirmBy`, the relay's sweeper expires the hold within seconds; ask again this long after. */
const AFTER_DEADLINE_MS = 3000;

/** A held payment that will not be answered any more: the connection closed, or the relay refuses the device. */
export class HeldPaymentEnded extends Error {
  override name = 'HeldPaymentEnded';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Waiter {
  intent: Intent;
  settled: Promise<Intent>;
  resolve(intent: Intent): void;
  reject(error: HeldPaymentEnded): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Intents held for the user's approval in the wallet. The relay pushes the
 * answer (requestId null); a push sent while the device was offline is lost,
 * so right away, after every reconnect, and once the hold's deadline has
 * passed, the device asks for each intent again (`intent.get`).
 */
export class HeldIntents {
  readonly #waiting = new Map<string, Waiter>();

  constructor(private readonly connection: RelayConnection) {
    connection.events.on('push', (push) => {
      const parsed = Intent.safeParse(push.intent);
      if (parsed.success) this.#answer(parsed.data);
    });
    connection.events.on('state', ({ state }) => {
      if (state === 'online') for (const waiter of this.#waiting.values()) void this.#askAgain(waiter.intent.id);
      if (state === 'closed') for (const id of [...this.#waiting.keys()]) this.#end(id, 'closed', 'the device closed its connection to the relay while the payment waited for the wallet');
    });
  }

  /**
   * Resolves with the intent once it is no longer pending: approved (with its
   * token), denied or expired. Rejects with HeldPaymentEnded when no answer
   * can come any more. One promise per intent, however often it is asked for.
   */
  settled(intent: Intent): Promise<Intent> {
    const existing = this.#waiting.get(intent.id);
    if (existing) return existing.settled;
    if (this.connection.state === 'closed') return Promise.reject(new HeldPaymentEnded('closed', 'the connection to the relay is closed'));
    let resolve!: Waiter['resolve'];
    let reject!: Waiter['reject'];
    const settled = new Promise<Intent>((ok, fail) => ((resolve = ok), (reject = fail)));
    const waiter: Waiter = { intent, settled, resolve, reject };
    this.#waiting.set(intent.id, waiter);
    this.#armDeadline(waiter);
    // A resent request is answered with its first answer, "held", even if the wallet has approved since.
    void this.#askAgain(intent.id);
    return settled;
  }

  #armDeadline(waiter: Waiter): void {
    const deadline = waiter.intent.confirmBy ? Date.parse(waiter.intent.confirmBy) : Date.now() + 5 * 60_000;
    waiter.timer = setTimeout(async () => {
      await this.#askAgain(waiter.intent.id);
      if (this.#waiting.get(waiter.intent.id) === waiter) this.#armDeadline(waiter); // still held: the sweeper is late
    }, Math.max(0, deadline - Date.now()) + AFTER_DEADLINE_MS);
  }

  async #askAgain(intentId: string): Promise<void> {
    let answer;
    try {
      answer = await this.connection.request({ type: 'intent.get', requestId: newRequestId('get'), intentId });
    } catch (error) {
      // Closing ends every waiter through the state listener; a refused login ends this one here.
      if (error instanceof LoginRefusedError) this.#end(intentId, 'login_refused', error.message);
      return;
    }
    if (answer.type === 'error') {
      // A passing failure (internal_error) is asked again later; these will not change.
      if (REFUSES_DEVICE.has(answer.error.code) || answer.error.code === 'not_found') this.#end(intentId, answer.error.code, answer.error.message);
      return;
    }
    const parsed = answer.type === 'intent' ? Intent.safeParse(answer.intent) : undefined;
    if (parsed?.success) this.#answer(parsed.data);
  }

  #answer(intent: Intent): void {
    const waiter = this.#waiting.get(intent.id);
    if (!waiter || intent.status === 'pending_confirmation') return;
    clearTimeout(waiter.timer);
    this.#waiting.delete(intent.id);
    waiter.resolve(intent);
  }

  #end(intentId: string, code: string, message: string): void {
    const waiter = this.#waiting.get(intentId);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.#waiting.delete(intentId);
    waiter.reject(new HeldPaymentEnded(code, message));
  }
}
