import { basicCardDetails, chooseMethod, type MethodChoice, type MethodData } from '../checkout/payment-methods.ts';
import { askWallet, tellWallet } from './channel.ts';
import { paymentResponse, type WalletPaymentResponse } from './payment-response.ts';
import { isWatching } from './watch.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * The W3C Payment Request API, answered by the wallet where an agent drives the page
 * (or wherever the page lists AgentPay's own method), in the shape of a method the page
 * accepted: its own method with the token, or a card method with the token's card.
 * A request the wallet cannot answer that way (a wallet such as Google Pay or Apple Pay,
 * card networks the token's card is not on) stays the browser's own, untouched: its
 * promises behave as the native ones do, and the page's notice says why.
 */
/** The browser's own, taken when the answerer is installed, before any script of the page. */
let NativePaymentRequest: typeof PaymentRequest | undefined;

function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

type Answered = Exclude<MethodChoice, { kind: 'browser' }>;

/** A request the wallet answers: the native one's interface, backed by the wallet. */
class WalletPaymentRequest extends EventTarget {
  readonly shippingAddress = null;
  readonly shippingOption = null;
  readonly shippingType = null;
  onmerchantvalidation = null;
  onshippingaddresschange = null;
  onshippingoptionchange = null;
  onpaymentmethodchange = null;
  private state: 'created' | 'interactive' | 'closed' = 'created';
  private abortShow: ((error: DOMException) => void) | undefined;

  constructor(
    private readonly methods: MethodData[],
    private details: PaymentDetailsInit & { id?: string },
    private readonly choice: Answered,
    readonly id: string,
  ) {
    super();
  }

  /** True: the wallet can pay one of the methods given (the choice was made for exactly these). */
  canMakePayment(): Promise<boolean> {
    return Promise.resolve(true);
  }

  hasEnrolledInstrument(): Promise<boolean> {
    return Promise.resolve(true);
  }

  abort(): Promise<void> {
    if (this.state !== 'interactive') return Promise.reject(new DOMException('there is no payment to abort', 'InvalidStateError'));
    this.state = 'closed';
    this.abortShow?.(new DOMException('the page aborted the payment request', 'AbortError'));
    return Promise.resolve();
  }

  async show(detailsPromise?: Promise<PaymentDetailsUpdate>): Promise<WalletPaymentResponse> {
    if (this.state !== 'created') throw new DOMException('show() was already called', 'InvalidStateError');
    this.state = 'interactive';
    const aborted = new Promise<never>((_resolve, reject) => (this.abortShow = reject));
    try {
      if (detailsPromise) this.details = { ...this.details, ...toPlain(await Promise.race([detailsPromise, aborted])) };
      const asked = askWallet({ kind: 'payment-request.show', methodData: this.methods, details: this.details as never });
      const payment = await Promise.race([asked, aborted]);
      if (!payment) throw new DOMException('the payment was not made', 'AbortError');
      const details =
        this.choice.kind === 'agentpay'
          ? { token: payment.token, card: payment.card, intentId: payment.intentId }
          : payment.card
            ? basicCardDetails(payment.card, 'AgentPay token')
            : undefined;
      if (!details) throw new DOMException('the wallet granted a token without card details', 'AbortError');
      return paymentResponse(this.id, this.choice.methodName, details);
    } catch (error) {
      if (error instanceof DOMException) throw error;
      // The spec's way to say "the user declined": an AbortError, with the wallet's reason.
      throw new DOMException((error as Error).message, 'AbortError');
    } finally {
      this.state = 'closed';
    }
  }
}

export function answerPaymentRequests(): void {
  NativePaymentRequest = window.PaymentRequest;
  const Wrapped = function PaymentRequest(methodData: MethodData[], details: PaymentDetailsInit, options?: PaymentOptions) {
    const methods = toPlain(methodData);
    const choice = chooseMethod(Array.isArray(methods) ? methods.filter((m) => m && typeof m === 'object') : []);
    const asked = choice.kind === 'agentpay'; // the page asks for AgentPay itself
    if (choice.kind === 'browser' || (!isWatching() && !asked)) {
      if (!NativePaymentRequest) throw new DOMException('PaymentRequest is not available', 'NotSupportedError');
      const native = new NativePaymentRequest(methodData as PaymentMethodData[], details, options);
      // A person's own checkout is none of the wallet's business; an agent's is told why it is not paid.
      if (isWatching() && choice.kind === 'browser') {
        const show = native.show;
        Object.defineProperty(native, 'show', {
          configurable: true,
          writable: true,
          value: function (this: PaymentRequest, ...args: Parameters<PaymentRequest['show']>) {
            tellWallet({ kind: 'payment-request.left', methodData: methods });
            return show.apply(this, args);
          },
        });
      }
      return native;
    }
    const plainDetails = toPlain(details) as PaymentDetailsInit & { id?: string };
    return new WalletPaymentRequest(methods, plainDetails, choice, plainDetails.id ?? randomId());
  } as unknown as typeof PaymentRequest;
  if (NativePaymentRequest) {
    // `instanceof PaymentRequest` holds for both kinds, as it would without the extension.
    Object.defineProperty(Wrapped, 'prototype', { value: NativePaymentRequest.prototype });
    Object.setPrototypeOf(WalletPaymentRequest.prototype, NativePaymentRequest.prototype);
  }
  if (NativePaymentRequest) {
    Object.defineProperty(window, 'PaymentRequest', { value: Wrapped, writable: true, configurable: true });
    return;
  }
  // A browser without the API (Firefox): pages not watched see none, as without the extension, so a
  // shop that checks for it falls back to its card form; a watched page gets the wallet's.
  let assigned: unknown;
  Object.defineProperty(window, 'PaymentRequest', {
    configurable: true,
    get: () => assigned ?? (isWatching() ? Wrapped : undefined),
    set: (value: unknown) => {
      assigned = value;
    },
  });
}
