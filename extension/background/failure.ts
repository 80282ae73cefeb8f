import { ProtocolError } from '@agentpay/protocol';
import { ZodError } from 'zod';
import type { CheckoutError } from '../shared/messages.ts';

/** A checkout that cannot go on, with a code and a sentence the user is shown. */
export class CheckoutFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Any failure as the user sees it: the relay's own words when it answered, a plain sentence when it did not. */
export function describeFailure(error: unknown, relayUrl?: string): CheckoutError {
  if (error instanceof CheckoutFailure || error instanceof ProtocolError) return { code: error.code, message: error.message };
  if (error instanceof ZodError) {
    return { code: 'invalid_message', message: error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  }
  if (error instanceof TypeError) {
    return { code: 'relay_unreachable', message: `the relay${relayUrl ? ` at ${relayUrl}` : ''} cannot be reached (${error.message}); the checkout stays held, nothing was paid` };
  }
  const code = (error as { code?: unknown })?.code;
  return { code: typeof code === 'string' ? code : 'internal_error', message: (error as Error)?.message ?? String(error) };
}
