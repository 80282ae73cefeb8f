import { decodeProtectedHeader } from 'jose';
import * as z from 'zod';
import { Category, LineItem } from './intent.ts';
import { Money } from './money.ts';
import { ALG, type PublicJwk, SignatureError, signCanonical, verifyCanonical } from './signatures.ts';

/**
 * A merchant's signed payment code: what a shop shows as a "scan to pay" QR
 * code and a wallet (phone, glasses, the browser extension) reads.
 *
 *   agentpay://pay?jws=<compact JWS, header {"alg":"ES256","kid":"<merchantId>"}>
 *
 * The JWS payload is the canonical JSON of a MerchantPaymentCode. The merchant
 * signs it with the key it registered at the relay, so a wallet that fetched
 * that key can tell a genuine code from one printed over it. The wallet asks
 * the relay for a token and POSTs `{ reference, token }` to `notify`.
 */
export const PAYMENT_CODE_PREFIX = 'agentpay://pay?';

export const MerchantPaymentCode = z
  .object({
    v: z.literal(1),
    merchantId: z.string().min(1, 'merchantId is required'),
    amount: Money,
    lineItems: z.array(LineItem).min(1, 'a payment code lists at least one line item').max(200),
    category: Category,
    /** The merchant's order reference; the notify call names it. */
    reference: z.string().min(1, 'reference is required').max(120),
    description: z.string().max(500).optional(),
    /** Where the wallet POSTs `{ reference, token }`: an absolute http(s) URL on the merchant's origin. */
    notify: z.url({ protocol: /^https?$/, error: 'notify must be an absolute http(s) URL' }),
    expiresAt: z.iso.datetime({ offset: true, error: 'expiresAt must be an ISO 8601 date-time' }),
  })
  .strict()
  .refine((code) => code.lineItems.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0) === code.amount.minor, {
    path: ['lineItems'],
    message: 'line items must add up to amount.minor exactly',
  });
export type MerchantPaymentCode = z.infer<typeof MerchantPaymentCode>;

export type PaymentCodeErrorCode =
  | 'not_a_payment_code'
  | 'malformed_payment_code'
  | 'bad_signature'
  | 'payment_code_expired'
  | 'invalid_payment_code'
  | 'wrong_merchant';

/** Why a text is not a payment code a wallet may pay; the message names what was wrong. */
export class PaymentCodeError extends Error {
  override name = 'PaymentCodeError';
  constructor(readonly code: PaymentCodeErrorCode, message: string) {
    super(message);
  }
}

/** Validates and signs a payment code; the merchant id is the JWS `kid`. */
export async function encodePaymentCode(payload: MerchantPaymentCode, privateKey: CryptoKey): Promise<string> {
  const code = validated(payload);
  return `${PAYMENT_CODE_PREFIX}jws=${await signCanonical(code, privateKey, code.merchantId)}`;
}

export interface ParsedPaymentCode {
  jws: string;
  kid: string;
  payload: MerchantPaymentCode;
}

/**
 * Reads a payment code WITHOUT checking its signature (for showing what it
 * asks before the merchant's key is at hand). Pay only after verifyPaymentCode.
 */
export function parsePaymentCode(text: string, now: Date = new Date()): ParsedPaymentCode {
  const jws = jwsOf(text);
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: unknown;
  try {
    header = decodeProtectedHeader(jws);
    payload = JSON.parse(new TextDecoder().decode(base64urlBytes(jws.split('.')[1]!)));
  } catch (error) {
    throw new PaymentCodeError('bad_signature', `the payment code's JWS cannot be decoded: ${(error as Error).message}`);
  }
  if (header.alg !== ALG) throw new PaymentCodeError('bad_signature', `the payment code's JWS must use ${ALG}, not ${String(header.alg)}`);
  if (typeof header.kid !== 'string' || header.kid === '') throw new PaymentCodeError('bad_signature', "the payment code's JWS header has no kid (the merchant id)");
  const code = validated(payload);
  if (header.kid !== code.merchantId) {
    throw new PaymentCodeError('wrong_merchant', `the payment code is signed as ${header.kid} but names merchant ${code.merchantId}`);
  }
  if (Date.parse(code.expiresAt) <= now.getTime()) throw new PaymentCodeError('payment_code_expired', `the payment code expired at ${code.expiresAt}`);
  return { jws, kid: header.kid, payload: code };
}

/**
 * Parses a payment code and verifies it against the merchant's registered key
 * (`GET /v1/merchants/{id}` at the relay). With `origins` (the merchant's
 * registered origins) the notify URL must be on one of them, so a code cannot
 * send the wallet's token to a third party.
 */
export async function verifyPaymentCode(
  text: string,
  merchantPublicJwk: PublicJwk,
  now: Date = new Date(),
  options: { origins?: readonly string[] } = {},
): Promise<MerchantPaymentCode> {
  const parsed = parsePaymentCode(text, now);
  try {
    await verifyCanonical(parsed.jws, merchantPublicJwk);
  } catch (error) {
    if (error instanceof SignatureError) throw new PaymentCodeError('bad_signature', `the payment code's ${error.message}`);
    throw error;
  }
  if (options.origins && !options.origins.includes(new URL(parsed.payload.notify).origin)) {
    throw new PaymentCodeError('wrong_merchant', `notify ${parsed.payload.notify} is not on the merchant's origins (${options.origins.join(', ')})`);
  }
  return parsed.payload;
}

function jwsOf(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PAYMENT_CODE_PREFIX)) {
    throw new PaymentCodeError('not_a_payment_code', `not an AgentPay payment code: it must start with "${PAYMENT_CODE_PREFIX}"`);
  }
  const jws = new URLSearchParams(trimmed.slice(PAYMENT_CODE_PREFIX.length)).get('jws');
  if (!jws) throw new PaymentCodeError('malformed_payment_code', 'the payment code has no "jws" parameter');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) {
    throw new PaymentCodeError('malformed_payment_code', 'the payment code\'s "jws" is not a compact JWS (three base64url parts)');
  }
  return jws;
}

function validated(payload: unknown): MerchantPaymentCode {
  const result = MerchantPaymentCode.safeParse(payload);
  if (result.success) return result.data;
  const summary = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new PaymentCodeError('invalid_payment_code', `the payment code is invalid: ${summary}`);
}

function base64urlBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
