import { once } from '../shared/once.ts';

/**
 * What `show()` resolves with when the wallet answers: shaped like the browser's own
 * PaymentResponse (its attributes, `complete()`, `retry()`, `toJSON()`, an EventTarget,
 * and `instanceof PaymentResponse` where the browser has one), so a page's checkout
 * script reads it as it reads the native one.
 */
export class WalletPaymentResponse extends EventTarget {
  readonly payerName = null;
  readonly payerEmail = null;
  readonly payerPhone = null;
  readonly shippingAddress = null;
  readonly shippingOption = null;
  onpayerdetailchange: ((event: Event) => void) | null = null;
  private completed = false;

  constructor(
    readonly requestId: string,
    readonly methodName: string,
    readonly details: Record<string, unknown>,
  ) {
    super();
  }

  /** As the native one: once, with "success", "fail" or "unknown"; a second call is an InvalidStateError. */
  complete(result: 'success' | 'fail' | 'unknown' = 'unknown'): Promise<void> {
    if (this.completed) return Promise.reject(new DOMException('complete() was already called', 'InvalidStateError'));
    if (!['success', 'fail', 'unknown'].includes(result)) {
      return Promise.reject(new TypeError(`complete(): "${String(result)}" is not one of "success", "fail", "unknown"`));
    }
    this.completed = true;
    return Promise.resolve();
  }

  /** There is no sheet to show again: the token is single-use, so a retry needs a new request. */
  retry(): Promise<void> {
    return Promise.reject(new DOMException('retry() is not supported: make a new PaymentRequest', 'NotSupportedError'));
  }

  toJSON() {
    const { requestId, methodName, details, shippingAddress, shippingOption, payerName, payerEmail, payerPhone } = this;
    return { requestId, methodName, details, shippingAddress, shippingOption, payerName, payerEmail, payerPhone };
  }
}

/**
 * A response for the page. `response instanceof PaymentResponse` holds, as for the native one;
 * linked on first use, so pages that never pay do not build the interface. Every attribute the
 * native prototype defines is an own property here, so none of its getters is ever called on it.
 */
export function paymentResponse(...args: ConstructorParameters<typeof WalletPaymentResponse>): WalletPaymentResponse {
  linkPrototype();
  return new WalletPaymentResponse(...args);
}

const linkPrototype = once(() => {
  if (typeof window !== 'undefined' && window.PaymentResponse) Object.setPrototypeOf(WalletPaymentResponse.prototype, window.PaymentResponse.prototype);
});
