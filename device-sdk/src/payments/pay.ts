import { Intent, IntentRequest, newId, type TaskStage } from '@agentpay/protocol';
import type { DeviceAnswer, RelayConnection } from '../connection/connection.ts';
import { Emitter } from '../connection/emitter.ts';
import { newRequestId } from '../connection/request-id.ts';
import { deliverToNotifyUrl } from './deliver.ts';
import { HeldIntents, HeldPaymentEnded } from './held.ts';
import type { DeliverToken, PaymentRequest, PaymentResult } from './types.ts';

export interface PaymentsOptions {
  connection: RelayConnection;
  /** Whether the car is being driven now; rules with `whileDriving` look for it. */
  driving?: () => boolean;
  /** Gives the token to the merchant when the request has no notify URL (e.g. a parking gate's API). */
  deliverToken?: DeliverToken;
  /** How long the merchant (its notify URL, or `deliverToken`) may take to take the token, in ms (default 10 000). */
  deliveryTimeoutMs?: number;
  /** The clock of `createdAt` and progress steps; default the system's. */
  now?: () => Date;
}

/** A step of a task, as the device reported it to the wallet's timeline. */
export interface ProgressStep {
  taskId: string;
  stage: TaskStage;
  message?: string;
  intentId?: string;
}

export interface PaymentEvents extends Record<string, unknown> {
  /** Every change of a payment: held, then paid or refused. */
  payment: PaymentResult;
  progress: ProgressStep;
}

/**
 * Pays through the relay: one intent per request, decided by the user's
 * mandate; a held one waits for the wallet's answer, pushed by the relay or
 * fetched again after a reconnect; a granted token goes to the merchant.
 */
export class Payments {
  readonly events = new Emitter<PaymentEvents>();
  readonly #held: HeldIntents;
  readonly #lastStep = new Map<string, Promise<void>>();
  readonly #paying = new Map<string, Promise<PaymentResult>>();

  constructor(private readonly options: PaymentsOptions) {
    this.#held = new HeldIntents(options.connection);
  }

  /**
   * Pays `request` and resolves when it is paid or refused; a hold on the way
   * is reported as a `payment` event. The same requestId while it is paying
   * gets the same promise. Rejects only if the request could not reach the
   * relay (the connection closed, or the broker refused the login).
   */
  pay(request: PaymentRequest): Promise<PaymentResult> {
    const requestId = request.requestId ?? newRequestId('pay');
    const inFlight = this.#paying.get(requestId);
    if (inFlight) return inFlight;
    const paying = this.#pay({ ...request, requestId }, requestId).finally(() => this.#paying.delete(requestId));
    this.#paying.set(requestId, paying);
    return paying;
  }

  /** Whether a granted token could reach the merchant: a notify URL, or the maker's `deliverToken`. */
  canDeliver(request: Pick<PaymentRequest, 'notify'>): boolean {
    return Boolean(request.notify || this.options.deliverToken);
  }

  async #pay(request: PaymentRequest, requestId: string): Promise<PaymentResult> {
    const taskId = request.taskId ?? newId('task');
    const base = { merchant: request.merchant, amount: request.amount, requestId, taskId };
    const intentRequest = this.#intentOf(request, taskId);
    if (!intentRequest.success) {
      const detail = intentRequest.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return this.#settle({ ...base, status: 'refused', intentId: null, reason: `this payment is not valid: ${detail}`, code: 'invalid_request' });
    }
    if (!this.canDeliver(request)) {
      // Approving it would strand a token (and hold the user's money) that nothing can take to the merchant.
      return this.#settle({ ...base, status: 'refused', intentId: null, reason: `nothing can hand a payment to ${request.merchant.name}: the code names no notify URL and the device has no deliverToken`, code: 'no_delivery' });
    }
    this.report({ taskId, stage: 'preparing_to_pay', message: `Paying ${request.merchant.name}` });
    const answer = await this.options.connection.request({ type: 'intent.create', requestId, intent: intentRequest.data });
    let intent = this.#intentFrom(answer);
    if (!intent.ok) return this.#settle({ ...base, status: 'refused', intentId: null, reason: intent.reason, code: intent.code });

    if (intent.value.status === 'pending_confirmation') {
      const reason = reasonsOf(intent.value) ?? 'the payment needs your approval in the wallet';
      this.#settle({ ...base, status: 'held', intentId: intent.value.id, reason, code: 'pending_confirmation' }, 'awaiting_confirmation');
      try {
        intent = { ok: true, value: await this.#held.settled(intent.value) };
      } catch (error) {
        if (!(error instanceof HeldPaymentEnded)) throw error;
        // The intent exists at the relay: the wallet can still see (and deny) it there.
        return this.#settle({ ...base, status: 'refused', intentId: intent.value.id, reason: error.message, code: error.code });
      }
    }
    return this.#finish(request, { ...base, intentId: intent.value.id }, intent.value);
  }

  /** Reports a step to the wallet's timeline without waiting; it is queued like any request while offline. */
  report(step: ProgressStep): void {
    this.events.emit('progress', step);
    const event = { taskId: step.taskId, stage: step.stage, at: (this.options.now?.() ?? new Date()).toISOString(), ...(step.message ? { message: step.message.slice(0, 500) } : {}), ...(step.intentId ? { intentId: step.intentId } : {}) };
    // One task's steps go one after the other: a relay may handle requests side by side, and the timeline keeps arrival order.
    const previous = this.#lastStep.get(step.taskId) ?? Promise.resolve();
    const sent = previous.then(() => this.options.connection.request({ type: 'progress', requestId: newRequestId('prg'), event })).then(() => {}, () => {});
    this.#lastStep.set(step.taskId, sent);
    void sent.then(() => {
      if (this.#lastStep.get(step.taskId) === sent) this.#lastStep.delete(step.taskId);
    });
  }

  async #finish(request: PaymentRequest, base: Omit<PaymentResult, 'status' | 'reason' | 'code'>, intent: Intent): Promise<PaymentResult> {
    if (intent.status !== 'approved' || !intent.token) {
      const reason = reasonsOf(intent) ?? (intent.status === 'approved' ? 'the payment was approved, but its token was already used' : `the payment was ${intent.status}`);
      return this.#settle({ ...base, status: 'refused', reason, code: intent.status });
    }
    const token = intent.token;
    try {
      if (request.notify) await deliverToNotifyUrl(request.notify, token, this.options.deliveryTimeoutMs);
      else await withTimeout(this.options.deliverToken!({ token, request, intentId: intent.id }), this.options.deliveryTimeoutMs ?? 10_000, 'deliverToken');
    } catch (error) {
      // The merchant may have charged before failing to answer: the wallet's records tell (an unused token expires).
      return this.#settle({ ...base, status: 'refused', reason: `the merchant did not confirm the payment: ${(error as Error).message}`, code: 'delivery_failed' });
    }
    return this.#settle({ ...base, status: 'paid', reason: null, code: null });
  }

  /** The wallet's timeline hears of holds and refusals from the device; of a payment, from the merchant's charge. */
  #settle(result: PaymentResult, stage?: TaskStage): PaymentResult {
    const step = stage ?? (result.status === 'refused' ? 'failed' : undefined);
    if (step) this.report({ taskId: result.taskId, stage: step, message: result.reason ?? '', ...(result.intentId ? { intentId: result.intentId } : {}) });
    this.events.emit('payment', result);
    return result;
  }

  #intentOf(request: PaymentRequest, taskId: string) {
    const now = this.options.now?.() ?? new Date();
    return IntentRequest.safeParse({
      merchantId: request.merchant.id,
      amount: request.amount,
      lineItems: request.lineItems ?? [{ name: request.merchant.name, quantity: 1, unitMinor: request.amount.minor }],
      category: request.category,
      channel: request.channel,
      taskId,
      createdAt: (request.askedAt ?? now).toISOString(),
      context: { driving: this.options.driving?.() ?? false },
      ...(request.description ? { description: request.description } : {}),
      ...(request.evidence ? { evidence: request.evidence } : {}),
    });
  }

  #intentFrom(answer: DeviceAnswer): { ok: true; value: Intent } | { ok: false; reason: string; code: string } {
    if (answer.type === 'error') return { ok: false, reason: answer.error.message, code: answer.error.code };
    if (answer.type !== 'intent') return { ok: false, reason: `the relay answered ${answer.type} to a payment`, code: 'unexpected_answer' };
    const parsed = Intent.safeParse(answer.intent);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'the relay answered with an intent this SDK cannot read', code: 'unexpected_answer' };
  }
}

/** The relay's reasons, as one sentence the device can speak. */
function reasonsOf(intent: Intent): string | null {
  const messages = [...intent.decision.reasons, ...intent.decision.risk].map((r) => r.message);
  return messages.length > 0 ? messages.join('; ') : null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
