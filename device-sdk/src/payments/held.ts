import { Intent, randomString } from '@agentpay/protocol';
import type { RelayConnection } from '../connection/connection.ts';

/** After `confirmBy`, the relay's sweeper expires the hold within seconds; ask again this long after. */
const AFTER_DEADLINE_MS = 3000;

interface Waiter {
  intent: Intent;
  resolve(intent: Intent): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Intents held for the user's approval in the wallet. The relay pushes the
 * answer (requestId null); a push sent while the device was offline is lost,
 * so after every reconnect, and once the hold's deadline has passed, the
 * device asks for each intent again (`intent.get`).
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
      if (state === 'closed') {
        for (const waiter of this.#waiting.values()) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`the connection to the relay was closed while ${waiter.intent.id} waited for the wallet`));
        }
        this.#waiting.clear();
      }
    });
  }

  /** Resolves with the intent once it is no longer pending: approved (with its token), denied or expired. */
  settled(intent: Intent): Promise<Intent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { intent, resolve, reject };
      this.#waiting.set(intent.id, waiter);
      this.#armDeadline(waiter);
      // A resent request is answered with its first answer, "held", even if the wallet has approved since.
      void this.#askAgain(intent.id);
    });
  }

  #armDeadline(waiter: Waiter): void {
    const deadline = waiter.intent.confirmBy ? Date.parse(waiter.intent.confirmBy) : Date.now() + 5 * 60_000;
    waiter.timer = setTimeout(async () => {
      await this.#askAgain(waiter.intent.id);
      if (this.#waiting.get(waiter.intent.id) === waiter) this.#armDeadline(waiter); // still held: the sweeper is late
    }, Math.max(0, deadline - Date.now()) + AFTER_DEADLINE_MS);
  }

  async #askAgain(intentId: string): Promise<void> {
    try {
      const answer = await this.connection.request({ type: 'intent.get', requestId: `get-${randomString(16)}`, intentId });
      if (answer.type !== 'intent') return;
      const parsed = Intent.safeParse(answer.intent);
      if (parsed.success) this.#answer(parsed.data);
    } catch {
      // Closed: nothing more will come.
    }
  }

  #answer(intent: Intent): void {
    const waiter = this.#waiting.get(intent.id);
    if (!waiter || intent.status === 'pending_confirmation') return;
    clearTimeout(waiter.timer);
    this.#waiting.delete(intent.id);
    waiter.resolve(intent);
  }
}
