import { PAYMENT_METHOD } from '../shared/page-channel.ts';
import { askWallet } from './channel.ts';
import { isWatching } from './watch.ts';

/**
 * The W3C Payment Request API, answered by the wallet: where an agent drives
 * the page, or the page asks for AgentPay's payment method, `show()` resolves
 * with the token as the method's details instead of opening the browser's sheet.
 */
const NativePaymentRequest = window.PaymentRequest;

type MethodData = { supportedMethods: string; data?: unknown };

class AgentPayPaymentResponse extends EventTarget {
  readonly methodName = PAYMENT_METHOD;
  readonly payerName = null;
  readonly payerEmail = null;
  readonly payerPhone = null;
  readonly shippingAddress = null;
  readonly shippingOption = null;
  constructor(
    readonly requestId: string,
    readonly details: Record<string, unknown>,
  ) {
    super();
  }
  complete(): Promise<void> {
    return Promise.resolve();
  }
  retry(): Promise<void> {
    return Promise.reject(new DOMException('retry is not supported by AgentPay', 'NotSupportedError'));
  }
  toJSON() {
    return { requestId: this.requestId, methodName: this.methodName, details: this.details };
  }
}

function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

export function answerPaymentRequests(): void {
  const Wrapped = function PaymentRequest(this: unknown, methodData: MethodData[], details: PaymentDetailsInit, options?: PaymentOptions) {
    const methods = toPlain(methodData);
    const ours = methods.some((m) => m?.supportedMethods === PAYMENT_METHOD);
    if (!isWatching() && !ours) {
      if (!NativePaymentRequest) throw new DOMException('PaymentRequest is not available', 'NotSupportedError');
      return new NativePaymentRequest(methodData, details, options);
    }
    const plainDetails = toPlain(details) as { id?: string };
    const id = plainDetails.id ?? crypto.randomUUID();
    const target = new EventTarget();
    let shown = false;
    return Object.assign(target, {
      id,
      shippingAddress: null,
      shippingOption: null,
      shippingType: null,
      onmerchantvalidation: null,
      onshippingaddresschange: null,
      onshippingoptionchange: null,
      onpaymentmethodchange: null,
      canMakePayment: () => Promise.resolve(true),
      hasEnrolledInstrument: () => Promise.resolve(true),
      abort: () => Promise.resolve(),
      async show() {
        if (shown) throw new DOMException('show() was already called', 'InvalidStateError');
        shown = true;
        try {
          const payment = await askWallet({ kind: 'payment-request.show', methodData: methods, details: plainDetails as never });
          if (!payment) throw new DOMException('the payment was not made', 'AbortError');
          return new AgentPayPaymentResponse(id, { token: payment.token, card: payment.card, intentId: payment.intentId });
        } catch (error) {
          if (error instanceof DOMException) throw error;
          // The spec's way to say "the user declined": an AbortError, with the wallet's reason.
          throw new DOMException((error as Error).message, 'AbortError');
        }
      },
    });
  } as unknown as typeof PaymentRequest;
  Object.defineProperty(window, 'PaymentRequest', { value: Wrapped, writable: true, configurable: true });
}
