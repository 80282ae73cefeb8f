import type { PublicJwk } from '@agentpay/protocol';
import { calculateJwkThumbprint } from 'jose';

/** RFC 7638 thumbprint: one key registers once, whichever table it lands in. */
export function thumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
