import * as z from 'zod';

/**
 * Every failure on the wire: a stable machine `code` and a human `message`
 * that names what was wrong. `details` carries per-field problems.
 */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The codes a client can branch on. */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'body_too_large',
  'unauthenticated',
  'bad_signature',
  'replayed_request',
  'stale_request',
  'forbidden',
  'not_found',
  'unknown_agent',
  'unknown_device',
  'unknown_merchant',
  'unknown_wallet',
  'agent_paused',
  'agent_revoked',
  'idempotency_key_reused',
  'idempotency_key_missing',
  'invalid_mandate',
  'no_mandate',
  'amount_mismatch',
  'intent_not_pending',
  'confirmation_expired',
  'approval_mismatch',
  'token_not_found',
  'token_already_used',
  'token_merchant_mismatch',
  'token_currency_mismatch',
  'token_amount_exceeded',
  'token_expired',
  'token_revoked',
  'card_declined',
  'refund_exceeds_charge',
  'nothing_to_refund',
  'token_in_use',
  'usage_ended',
  'reserve_lapsed',
  'settle_exceeds_reserve',
  'usage_id_reused',
  'insufficient_credits',
  /** A settle sent only units, for a model the vendor has no price for. */
  'model_not_priced',
  /** A merchant refund of a charge that bought credits the wallet has since spent or reserved. */
  'credits_spent',
  /** A top-up of this account is still being decided or waits for the user. */
  'top_up_pending',
  'currency_mismatch',
  'stale_intent',
  'step_up_required',
  'step_up_failed',
  'rate_limited',
  'internal_error',
  'store_unavailable',
  /** The relay is shutting down (503 with Retry-After): nothing was done, ask again in a moment. */
  'relay_stopping',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** Thrown inside the relay and SDK; serialised as ErrorBody at the edge. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** Turns a zod failure into an error that names each bad field. */
export function invalidRequest(what: string, issues: readonly z.core.$ZodIssue[]): ProtocolError {
  const details = issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new ProtocolError('invalid_request', `${what} is invalid: ${summary}`, 400, details);
}
