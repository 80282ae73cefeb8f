import { EventEmitter } from 'node:events';
import type { ConfirmationRequest, Intent, Money, ProgressEvent, TopUp } from '@agentpay/protocol';

/** What the relay pushes, to wallets (SSE) and to actors (MQTT for devices, long-poll for agents). */
export type RelayEvent =
  | { type: 'confirmation.requested'; walletId: string; request: ConfirmationRequest }
  | {
      type: 'intent.updated';
      walletId: string;
      actorId: string;
      intent: Intent;
      /** Why it changed: `created` ones were already answered to the actor that asked. */
      cause: 'created' | 'answered' | 'expired' | 'reversed' | 'revoked' | 'cancelled' | 'refund_asked';
    }
  /** An agent or device was renamed, paused, resumed or revoked; a revoked device's broker session is ended. */
  | { type: 'actor.updated'; walletId: string; actorId: string; status: 'active' | 'paused' | 'revoked' }
  /** The wallet was unpaired: its key signs nothing more, and its event streams end. */
  | { type: 'wallet.unpaired'; walletId: string }
  | { type: 'progress'; walletId: string; actorId: string; event: ProgressEvent & { at: string } }
  /** An approved payment's token ended uncharged (expired, or revoked): its story changed, nothing was paid. */
  | { type: 'intent.ended'; walletId: string; actorId: string; intentId: string; token: 'expired' | 'revoked' }
  | { type: 'charge.succeeded'; walletId: string; actorId: string; intentId: string; chargeId: string; amount: Money }
  /** `amount`: this refund's, not the charge's total refunded. */
  | { type: 'refund.succeeded'; walletId: string; actorId: string; intentId: string; chargeId: string; amount: Money }
  /** Token Pay: a settle took a credit balance below the user's auto top-up threshold; `topUpId` is the top-up it started. */
  | { type: 'credits.low'; walletId: string; accountId: string; vendorId: string; balance: Money; threshold: Money; topUpId: string }
  /** Token Pay: a top-up was held for the user, paid, or failed (with its reason). */
  | { type: 'credits.top_up'; walletId: string; actorId: string; topUp: TopUp };

/**
 * In-process fan-out of committed changes. Events are emitted only after the
 * transaction that caused them commits, so a listener never sees a change
 * that was rolled back.
 */
export class EventHub {
  readonly #emitter = new EventEmitter({ captureRejections: false });
  readonly #closing = new AbortController();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  /**
   * Aborts when the relay stops. Wallet streams and long polls watch it and end at once, so that a
   * browser left open cannot hold a stopping relay (they would otherwise last as long as the client).
   */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /** The relay is stopping: everyone waiting on the hub lets go. */
  close(): void {
    this.#closing.abort();
  }

  emit(event: RelayEvent): void {
    this.#emitter.emit('event', event);
  }

  /** Subscribes until `signal` aborts. */
  subscribe(listener: (event: RelayEvent) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#emitter.on('event', listener);
    signal.addEventListener('abort', () => this.#emitter.off('event', listener), { once: true });
  }
}
