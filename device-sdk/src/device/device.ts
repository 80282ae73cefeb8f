import { newId } from '@agentpay/protocol';
import { type ConnectionState, RelayConnection, type RelayConnectionOptions } from '../connection/connection.ts';
import { Emitter } from '../connection/emitter.ts';
import { newRequestId } from '../connection/request-id.ts';
import type { Frame } from '../decoder/frame.ts';
import { PassingScan, type PassingScanOptions, type ScanDecision } from '../passing-scan/passing-scan.ts';
import { Payments, type ProgressStep } from '../payments/pay.ts';
import type { DeliverToken, PaymentRequest, PaymentResult } from '../payments/types.ts';
import type { DeviceProfile } from '../profiles/profiles.ts';
import { type Language, type PayUtterance, understand } from '../voice/index.ts';
import { checkCodePayment, paymentForCode } from './code-payment.ts';
import { MerchantDirectory, MerchantLookupError } from './merchants.ts';
import { PendingConfirmation } from './confirmation.ts';
import { Conversation, type SpokenPaymentResolver } from './conversation.ts';

/** Reads QR codes from camera frames (see `createFrameReader` in the decoder module). */
export interface CodeReader {
  read(frame: Frame): Promise<{ codes: readonly { text: string }[] }>;
}

export interface DeviceOptions {
  /** Where and as whom to connect to the relay. */
  relay: RelayConnectionOptions;
  /** cockpit(), glasses() or earphones(): how the user confirms, what pays without asking. */
  profile: DeviceProfile;
  /** Whether the car is being driven right now (default: the profile's `driving`); mandates' `whileDriving` rules read it. */
  driving?: () => boolean;
  /** The maker's speech engine: says a sentence to the user; resolve when it has been spoken, so the time to answer starts then. */
  speak?: (text: string, lang: Language) => void | Promise<void>;
  /** Language of sentences not answering a voice (a scanned gate); default 'en'. */
  language?: Language;
  /** Currency of a bare spoken number ("pay 35 to Joe"); without it such a number is not an amount. */
  defaultCurrency?: string;
  /** Decodes camera frames for `scanFrame`. */
  codeReader?: CodeReader;
  /** Turns a spoken request into what to pay: the car knows its parking session, the glasses the shop in view. */
  resolveSpokenPayment?: SpokenPaymentResolver;
  /** Gives the token to merchants whose code names no notify URL (e.g. a gate's API). */
  deliverToken?: DeliverToken;
  /** How long a merchant's notify URL may take to take the token, in ms (default 10 000). */
  deliveryTimeoutMs?: number;
  /** Consistency and memory of the passing scan. */
  passingScan?: PassingScanOptions;
  /** How long a read-back waits for "confirm" before it counts as cancelled (default 30 s). */
  confirmWithinMs?: number;
  /** The clock of intents' `createdAt`, code expiry and evidence; default the system's. */
  now?: () => Date;
}

export interface DeviceEvents extends Record<string, unknown> {
  /** Every change of a payment: held (asking, or waiting for the wallet), then paid or refused. */
  payment: PaymentResult;
  /** Task steps reported to the wallet's timeline. */
  progress: ProgressStep;
  /** Each sentence the device said. */
  said: { text: string; lang: Language };
  /** A code the camera read that cannot be paid (another wallet's, damaged, no amount); `reason` is spoken too. */
  unpayable: { text: string; code: string; reason: string };
  /** The connection to the relay. */
  connection: { state: ConnectionState; error?: Error };
}

/**
 * An AgentPay device: a car's cockpit, glasses or earphones. It pays what
 * the user asks by voice or what the camera reads, asks before paying as its
 * profile says, and reports every step.
 */
export class Device {
  readonly events = new Emitter<DeviceEvents>();
  readonly connection: RelayConnection;
  readonly payments: Payments;
  readonly #options: DeviceOptions;
  readonly #scan: PassingScan;
  readonly #conversation: Conversation;
  readonly #merchants: MerchantDirectory;
  #lastFrame: Promise<void> = Promise.resolve();
  /** Scanned payments in progress: their code, to forget if the user never answered. */
  readonly #scanned = new Map<string, string>();

  constructor(options: DeviceOptions) {
    this.#options = options;
    this.connection = new RelayConnection(options.relay);
    this.connection.events.on('state', (event) => this.events.emit('connection', event));
    this.payments = new Payments({
      connection: this.connection,
      driving: options.driving ?? (() => options.profile.driving),
      ...(options.deliverToken ? { deliverToken: options.deliverToken } : {}),
      ...(options.deliveryTimeoutMs ? { deliveryTimeoutMs: options.deliveryTimeoutMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.payments.events.on('payment', (result) => this.events.emit('payment', result));
    this.events.on('payment', (result) => {
      if (result.status === 'held') return;
      const text = this.#scanned.get(result.requestId);
      this.#scanned.delete(result.requestId);
      // A driver who missed the question is asked again on the next pass; one who said "cancel" is not.
      if (text !== undefined && result.code === 'no_answer') this.#scan.forget(text);
    });
    this.payments.events.on('progress', (step) => this.events.emit('progress', step));
    this.#scan = new PassingScan(options.passingScan);
    this.#merchants = new MerchantDirectory(this.connection);
    this.#conversation = new Conversation({
      profile: options.profile,
      payments: this.payments,
      confirmation: new PendingConfirmation(),
      say: (text, lang) => this.#say(text, lang),
      update: (result) => this.events.emit('payment', result),
      confirmWithinMs: options.confirmWithinMs ?? 30_000,
      now: options.now ?? (() => new Date()),
    });
  }

  get profile(): DeviceProfile {
    return this.#options.profile;
  }

  /**
   * Takes what the user said. A request to pay is resolved, read back and
   * asked (or paid, if the profile pays it without asking): it resolves with
   * the payment held while asking, or with its outcome. "confirm" or "cancel"
   * answers the open read-back and resolves with the outcome, which may wait
   * for the wallet if the relay holds the payment. Null when nothing was
   * asked or paid (not understood, nothing to confirm).
   */
  async hear(transcript: string): Promise<PaymentResult | null> {
    const utterance = understand(transcript, this.#options.defaultCurrency ? { defaultCurrency: this.#options.defaultCurrency } : {});
    if (utterance.kind === 'pay') return this.#payByVoice(utterance);
    return this.#conversation.answerByVoice(utterance);
  }

  /** A tap on the device's touch surface; refused on a profile that takes no taps (a driver's cockpit). */
  tap(answer: 'confirm' | 'cancel'): Promise<PaymentResult | null> {
    return this.#conversation.answerByTap(answer);
  }

  /** One camera frame of a passing scan: decoded, and paid once its code was read consistently. */
  scanFrame(frame: Frame): Promise<ScanDecision> {
    const reader = this.#options.codeReader;
    if (!reader) return Promise.reject(new Error('scanFrame needs a codeReader in the device options'));
    // Frames are read in the order they came, one at a time: the reader remembers where the last code was.
    const decided = this.#lastFrame.then(() => reader.read(frame)).then(({ codes }) => this.scanTexts(codes.map((c) => c.text)));
    this.#lastFrame = decided.then(() => {}, () => {});
    return decided;
  }

  /** Like scanFrame, for a maker whose camera decodes codes itself: the texts read in one frame. */
  scanTexts(texts: readonly string[]): ScanDecision {
    const decision = this.#scan.see(texts);
    if (decision.action === 'pay') {
      this.#payScanned(decision.text).catch((error: Error) => this.events.emit('unpayable', { text: decision.text, code: 'not_sent', reason: error.message }));
    }
    return decision;
  }

  /**
   * Pays a request the maker built itself (a charging session the car
   * started), through the same conversation as a spoken one: read back and
   * asked unless the profile pays it without asking. Resolves with the outcome.
   */
  pay(request: PaymentRequest, lang: Language = this.#options.language ?? 'en'): Promise<PaymentResult> {
    return this.#conversation.pay(request, lang);
  }

  /** Ends an open question silently, then the connection: payments still waiting settle as refused. */
  close(): Promise<void> {
    this.#conversation.close();
    return this.connection.close();
  }

  async #payByVoice(utterance: PayUtterance): Promise<PaymentResult | null> {
    const taskId = newId('task');
    this.payments.report({ taskId, stage: 'searching', message: `Heard "${utterance.transcript}"` });
    let resolved: Awaited<ReturnType<SpokenPaymentResolver>>;
    try {
      resolved = await this.#options.resolveSpokenPayment?.(utterance);
    } catch {
      resolved = null; // the maker's lookup failed: the user hears that nothing is paid, the task says so
    }
    if (!resolved) {
      const what = utterance.payee ?? utterance.category ?? 'that';
      this.payments.report({ taskId, stage: 'failed', message: `nothing to pay for ${what} here` });
      this.#say(utterance.lang === 'zh' ? `抱歉，我不知道要向谁付款。` : `Sorry, I don't know what to pay for ${what}.`, utterance.lang);
      return null;
    }
    return this.#conversation.start({ ...resolved, channel: 'device-voice', taskId, requestId: newRequestId('pay') }, utterance.lang, { utterance });
  }

  async #payScanned(text: string): Promise<void> {
    const lang = this.#options.language ?? 'en';
    const now = this.#options.now?.() ?? new Date();
    let found = paymentForCode(text, now);
    if (found.ok && !this.payments.canDeliver(found.request)) {
      found = { ok: false, code: 'no_delivery', reason: `nothing on this device can hand a payment to ${found.request.merchant.name}` };
    }
    if (found.ok) {
      try {
        found = await checkCodePayment(text, found, await this.#merchants.get(found.request.merchant.id), now);
      } catch (error) {
        const code = error instanceof MerchantLookupError ? error.code : 'not_sent';
        found = { ok: false, code, reason: code === 'unknown_merchant' ? 'this code names a merchant AgentPay does not know' : (error as Error).message };
      }
    }
    if (!found.ok) {
      // Never reached the relay (the connection closed): the next pass may pay it.
      if (found.code === 'not_sent') this.#scan.forget(text);
      // Said once: the same text in the next frames is 'seen'; a misread code reads differently when read right.
      this.events.emit('unpayable', { text, code: found.code, reason: found.reason });
      this.#conversation.refuseUnsent(found, lang);
      return;
    }
    const requestId = newRequestId('pay');
    this.#scanned.set(requestId, text);
    await this.#conversation.start({ ...found.request, channel: 'device-scan', requestId }, lang, { code: text });
  }

  #say(text: string, lang: Language): Promise<void> {
    this.events.emit('said', { text, lang });
    // A speech engine that fails must not stop the payment; the sentence is in the 'said' event too.
    return Promise.resolve(this.#options.speak?.(text, lang)).then(() => {}, () => {});
  }
}

/** Creates a device and starts connecting to the relay (requests queue until it is online). */
export function createDevice(options: DeviceOptions): Device {
  return new Device(options);
}
