import type { TokenGrant } from '@agentpay/protocol';
import type { PaymentRequest } from './types.ts';

/**
 * A signed merchant code names where its token goes: POST `{ reference, token }`
 * to `notify` (protocol/src/payment-code.ts). The merchant charges it there.
 */
export async function deliverToNotifyUrl(notify: NonNullable<PaymentRequest['notify']>, token: TokenGrant, timeoutMs = 10_000): Promise<void> {
  const response = await fetch(notify.url, {
    // A gate that never answers must not leave the payment, and the car, waiting for ever.
    signal: AbortSignal.timeout(timeoutMs),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reference: notify.reference, token: token.secret }),
  });
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 300);
    throw new Error(`the merchant answered ${response.status} at ${new URL(notify.url).origin}${text ? `: ${text}` : ''}`);
  }
}
