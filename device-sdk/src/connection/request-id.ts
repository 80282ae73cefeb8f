import { randomString } from '@agentpay/protocol';

/** A fresh requestId (the relay's idempotency key), prefixed by what it asks: easier to follow in broker logs. */
export function newRequestId(kind: 'pay' | 'prg' | 'get' | 'mer'): string {
  return `${kind}-${randomString(16)}`;
}
