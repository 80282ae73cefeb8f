import { type Category, formatMoney, type LineItem, type Money, newId } from '@agentpay/protocol';
import { LoginRefusedError } from '../connection/connection.ts';
import { newRequestId } from '../connection/request-id.ts';
import type { Payments } from '../payments/pay.ts';
import type { MerchantRef, PaymentRequest, PaymentResult } from '../payments/types.ts';
import type { DeviceProfile } from '../profiles/profiles.ts';
import { type Language, type PayUtterance, sayCancelled, sayHeld, sayNotUnderstood, sayPaid, sayPayment, sayRefused, type Utterance } from '../voice/index.ts';
import { reasonToSay, sayNothingToConfirm, sayPaying, sayUnconfirmed } from './sentences.ts';
import type { Answer, PendingConfirmation } from './confirmation.ts';
import { evidenceFor } from './evidence.ts';

/** What a spoken request pays, as the device's maker resolves it. */
export interface ResolvedPayment {
  merchant: MerchantRef;
  amount: Money;
  category: Category;
  lineItems?: LineItem[];
  description?: string;
  reference?: string;
  notify?: PaymentRequest['notify'];
}

/** Resolves "pay the parking fee" to this car's parking session; null when the device does not know. */
export type SpokenPaymentResolver = (utterance: PayUtterance) => ResolvedPayment | null | undefined | Promise<ResolvedPayment | null | undefined>;

/** Where a payment came from: what was said, or the code the camera read. */
export interface Origin {
  utterance?: PayUtterance;
  code?: string;
}

export interface ConversationDeps {
  profile: DeviceProfile;
  payments: Payments;
  confirmation: PendingConfirmation;
  /** Says a sentence; resolves when it has been spoken (when the speech engine tells). */
  say(text: string, lang: Language): Promise<void>;
  /** Reports a state of a payment that never reached the relay (asking, cancelled). */
  update(result: PaymentResult): void;
  confirmWithinMs: number;
  now(): Date;
}

type Request = PaymentRequest & { requestId: string };

/** A read-back that ended without a yes, by how it ended. */
const NOT_CONFIRMED = {
  user: { code: 'cancelled', reason: 'cancelled by the user' },
  timeout: { code: 'no_answer', reason: 'no answer came, so nothing was paid' },
  superseded: { code: 'superseded', reason: 'a new request replaced it before it was confirmed' },
  closed: { code: 'cancelled', reason: 'the device was shut down before it was confirmed' },
} as const;

/**
 * The talk around one payment: read it back, wait for the answer the
 * profile accepts, then pay with the answer as evidence and say the outcome.
 */
export class Conversation {
  #asking: { lang: Language; final: Promise<PaymentResult> } | null = null;
  readonly #firstUpdate = new Map<string, (result: PaymentResult) => void>();
  /** The language each running payment is talked about in, for the sentences its later events bring. */
  readonly #langOf = new Map<string, Language>();

  constructor(private readonly deps: ConversationDeps) {
    deps.payments.events.on('payment', (result) => {
      this.#observe(result);
      const lang = this.#langOf.get(result.requestId) ?? 'en';
      if (result.status === 'held') void deps.say(sayHeld(lang, reasonToSay(result, lang)), lang);
    });
  }

  /** Starts a payment; resolves with its first state: held while asking or waiting for the wallet, else the outcome. */
  start(request: Request, lang: Language, origin: Origin): Promise<PaymentResult> {
    const first = new Promise<PaymentResult>((resolve) => this.#firstUpdate.set(request.requestId, resolve));
    const final = this.#run({ ...request, taskId: request.taskId ?? newId('task') }, lang, origin);
    return Promise.race([first, final]);
  }

  /** Runs a payment to its outcome. */
  pay(request: PaymentRequest, lang: Language): Promise<PaymentResult> {
    return this.#run({ ...request, requestId: request.requestId ?? newRequestId('pay'), taskId: request.taskId ?? newId('task') }, lang, {});
  }

  /** "confirm" / "cancel" to the open read-back; anything else is asked again. */
  async answerByVoice(utterance: Utterance): Promise<PaymentResult | null> {
    const asking = this.#asking;
    if (!asking || !this.deps.profile.confirmations.includes('voice')) {
      if (utterance.kind === 'unknown') this.deps.say(sayNotUnderstood(utterance.lang, 'request'), utterance.lang);
      else this.deps.say(sayNothingToConfirm(utterance.lang), utterance.lang);
      return null;
    }
    if (utterance.kind !== 'confirm' && utterance.kind !== 'cancel') {
      this.deps.say(sayNotUnderstood(asking.lang, 'confirmation'), asking.lang);
      return null;
    }
    this.deps.confirmation.answer({ kind: utterance.kind, method: 'voice', utterance, at: this.deps.now() });
    return asking.final;
  }

  async answerByTap(answer: 'confirm' | 'cancel'): Promise<PaymentResult | null> {
    if (!this.deps.profile.confirmations.includes('tap')) {
      throw new Error(`a ${this.deps.profile.name} takes no taps: it confirms by ${this.deps.profile.confirmations.join(' or ')}`);
    }
    const asking = this.#asking;
    if (!asking) return null;
    this.deps.confirmation.answer({ kind: answer, method: 'tap', at: this.deps.now() });
    return asking.final;
  }

  /** A code that cannot be paid: said, and reported as refused without reaching the relay. */
  refuseUnsent(found: { code: string; reason: string }, lang: Language): void {
    // Nothing was asked of the relay, so "refused" would mislead: the reason alone says it.
    if (lang === 'en') this.deps.say(`${found.reason.charAt(0).toUpperCase()}${found.reason.slice(1)}.`, lang);
    else this.deps.say(sayRefused(lang, reasonToSay(found, lang)), lang);
  }

  async #run(request: Request & { taskId: string }, lang: Language, origin: Origin): Promise<PaymentResult> {
    const { profile, payments } = this.deps;
    this.#langOf.set(request.requestId, lang);
    let finish: ((result: PaymentResult) => void) | undefined;
    try {
      payments.report({ taskId: request.taskId, stage: 'found', message: `${request.merchant.name}, ${formatMoney(request.amount)}` });
      // Asking the user for a payment nothing could hand to the merchant would waste their "confirm".
      if (!payments.canDeliver(request)) return await payments.pay(request).then((result) => this.#sayOutcome(result, lang));
      if (profile.paysWithoutAsking(request)) return await this.#send({ ...request, evidence: evidenceFor(origin) }, lang);

      const readBack = sayPayment({ amount: request.amount, payee: request.merchant.name, category: request.category }, lang);
      const spoken = this.deps.say(readBack, lang);
      const answered = this.deps.confirmation.ask(this.deps.confirmWithinMs, this.deps.now, spoken);
      const asking = { lang, final: new Promise<PaymentResult>((resolve) => (finish = resolve)) };
      this.#asking = asking;
      payments.report({ taskId: request.taskId, stage: 'awaiting_confirmation', message: readBack });
      this.#emit(base(request, { status: 'held', reason: readBack, code: 'awaiting_confirmation' }));

      const answer = await answered;
      // A newer question may have replaced this one: it is that one's to clear.
      if (this.#asking === asking) this.#asking = null;
      const result = answer.kind === 'confirm'
        ? await this.#send({ ...request, evidence: evidenceFor(origin, { answer, readBack, lang }) }, lang)
        : this.#cancelled(request, answer, lang);
      finish!(result);
      return result;
    } catch (error) {
      // The connection was closed or refused mid-payment: whatever waits on it is told, nothing is left hanging.
      const code = error instanceof LoginRefusedError ? 'login_refused' : 'not_sent';
      const result = base(request, { status: 'refused', reason: (error as Error).message, code });
      if (code === 'login_refused') void this.deps.say(sayRefused(lang, reasonToSay(result, lang)), lang);
      this.#emit(result);
      finish?.(result);
      return result;
    } finally {
      this.#langOf.delete(request.requestId);
      this.#firstUpdate.delete(request.requestId);
    }
  }

  /** The device is shutting down: an open question ends without a word, as a cancel. */
  close(): void {
    this.deps.confirmation.answer({ kind: 'cancel', method: 'closed', at: this.deps.now() });
  }

  async #send(request: Request, lang: Language): Promise<PaymentResult> {
    if (this.deps.profile.speaks === 'everything') void this.deps.say(sayPaying({ amount: request.amount, payee: request.merchant.name }, lang), lang);
    return this.#sayOutcome(await this.deps.payments.pay(request), lang);
  }

  #sayOutcome(result: PaymentResult, lang: Language): PaymentResult {
    if (result.status === 'paid') void this.deps.say(sayPaid({ amount: result.amount, payee: result.merchant.name }, lang), lang);
    else if (result.code === 'delivery_failed') void this.deps.say(sayUnconfirmed(lang), lang);
    else void this.deps.say(sayRefused(lang, reasonToSay(result, lang)), lang);
    return result;
  }

  #cancelled(request: Request & { taskId: string }, answer: Extract<Answer, { kind: 'cancel' }>, lang: Language): PaymentResult {
    // A replaced question or a device shutting down says nothing: the user is already on to something else.
    if (answer.method !== 'superseded' && answer.method !== 'closed') void this.deps.say(sayCancelled(lang), lang);
    const { code, reason } = NOT_CONFIRMED[answer.method === 'voice' || answer.method === 'tap' ? 'user' : answer.method];
    this.deps.payments.report({ taskId: request.taskId, stage: 'failed', message: reason });
    const result = base(request, { status: 'refused', reason, code });
    this.#emit(result);
    return result;
  }

  #emit(result: PaymentResult): void {
    this.deps.update(result);
    this.#observe(result);
  }

  /** A hold ends `start`'s wait early; an outcome does so through `#run`, once it has been said. */
  #observe(result: PaymentResult): void {
    const resolve = result.status === 'held' ? this.#firstUpdate.get(result.requestId) : undefined;
    if (!resolve) return;
    this.#firstUpdate.delete(result.requestId);
    resolve(result);
  }
}

function base(request: Request & { taskId: string }, state: Pick<PaymentResult, 'status' | 'reason' | 'code'>): PaymentResult {
  return { ...state, merchant: request.merchant, amount: request.amount, requestId: request.requestId, taskId: request.taskId, intentId: null };
}
