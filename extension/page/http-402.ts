import { askWallet } from './channel.ts';
import { apply } from './natives.ts';

/**
 * HTTP 402 answers to the page's own fetches: when the answer carries an
 * x402-style PAYMENT-REQUIRED header in a watched page (installed once it is), the wallet
 * is asked; once paid, the request is sent again with the X-PAYMENT header
 * and the page's fetch resolves with that second answer. Refused or failed,
 * the page gets the original 402, as it would without the extension.
 */
export function answerPaymentRequired(): void {
  // Whatever fetch is installed when this runs: the card hold (card-requests.ts) sits underneath.
  const nativeFetch = window.fetch;
  window.fetch = async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const retry = request.clone(); // a body can be read once; the retry needs its own
    const response = await apply(nativeFetch, this, [request]);
    const required = response.status === 402 ? response.headers.get('payment-required') : null;
    if (!required) return response;
    const payment = await askWallet({ kind: 'http-402', url: response.url || request.url, paymentRequired: required }).catch(() => null);
    if (!payment?.headers) return response;
    for (const [name, value] of Object.entries(payment.headers)) retry.headers.set(name, value);
    return apply(nativeFetch, this, [retry]);
  };
}
