import * as z from 'zod';
import type { Signer } from './client.ts';
import { randomString } from './ids.ts';
import { httpAudience, type RequestClaims, SIGNATURE_HEADER } from './requests.ts';
import { signCanonical } from './signatures.ts';
import { Category, LineItem } from './intent.ts';
import { Currency, MAX_MINOR, type Money } from './money.ts';
import { text } from './text.ts';

/**
 * x402 v2 (the x402 Foundation's HTTP 402 payments), with AgentPay money as a
 * scheme on a network of its own:
 *
 *   402  PAYMENT-REQUIRED:   base64(JSON PaymentRequired)   { x402Version: 2, resource, accepts: [...] }
 *   GET  PAYMENT-SIGNATURE:  base64(JSON PaymentPayload)    { x402Version: 2, accepted, payload: { token } }
 *   200  PAYMENT-RESPONSE:   base64(JSON SettleResponse)    { success, transaction: <charge id>, network }
 *
 * An AgentPay requirement is scheme `exact` or `upto` on network `agentpay:<relay id>`,
 * its asset an ISO 4217 code, its amount minor units, `payTo` the merchant's id. The
 * payload is the secret of a single-use token the relay granted for exactly that
 * merchant, amount and currency; the relay (the network's facilitator) verifies
 * and charges it. Under `upto` the amount is a maximum: the token allows it, and
 * the merchant's settle names what the request actually cost (at most that, maybe 0).
 * Specification: shared/specs/x402-v2.
 */
export const X402_VERSION = 2;
export const PAYMENT_REQUIRED_HEADER = 'PAYMENT-REQUIRED';
export const PAYMENT_SIGNATURE_HEADER = 'PAYMENT-SIGNATURE';
export const PAYMENT_RESPONSE_HEADER = 'PAYMENT-RESPONSE';
/** AgentPay's fixed-price scheme: the token pays exactly the amount. */
export const AGENTPAY_SCHEME = 'exact';
/** AgentPay's metered scheme: the token allows the amount as a maximum; settle charges the actual amount. */
export const AGENTPAY_UPTO_SCHEME = 'upto';
/** The x402 schemes AgentPay money travels as, on its own network. */
export const AGENTPAY_SCHEMES = [AGENTPAY_SCHEME, AGENTPAY_UPTO_SCHEME] as const;
export type AgentPaySchemeName = (typeof AGENTPAY_SCHEMES)[number];
export const AGENTPAY_NETWORK_PREFIX = 'agentpay:';
/** Where a relay serves its facilitator (`/verify`, `/settle`, `/supported`). */
export const FACILITATOR_PATH = '/x402';

/** `agentpay:<relay id>`: a CAIP-2 id, its reference at most 32 of `[-_a-zA-Z0-9]`. */
export const AgentPayNetwork = z
  .string()
  .regex(/^agentpay:[-_a-zA-Z0-9]{1,32}$/, 'network must be agentpay:<relay id>');

export const isAgentPayNetwork = (network: unknown): boolean => AgentPayNetwork.safeParse(network).success;

/** What an AgentPay merchant may say of the payment beyond the seven fields; all optional. */
export const AgentPayExtra = z
  .object({
    /** The merchant's own reference (order id); the charge carries it. */
    reference: text().min(1).max(120).optional(),
    /** Shown to the user; must add up to the amount when given. */
    lineItems: z.array(LineItem).min(1).max(200).optional(),
    category: Category.optional(),
    merchantName: text().min(1).max(100).optional(),
  })
  .loose();
export type AgentPayExtra = z.infer<typeof AgentPayExtra>;

/** Minor units as x402 writes amounts: a decimal string of a positive integer. */
const AtomicAmount = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'amount must be a positive whole number of minor units, as a string')
  .refine((value) => Number(value) <= MAX_MINOR, 'amount is too large');

/**
 * What an `upto` settle charges (the settle-time requirements' `amount`): minor units as a decimal
 * string of a whole number, 0 allowed (nothing was used).
 */
export const UptoSettleAmount = z
  .string()
  .regex(/^(?:0|[1-9][0-9]{0,15})$/, 'an upto settle amount is a whole number of minor units, 0 or more, as a string')
  .refine((value) => Number(value) <= MAX_MINOR, 'amount is too large');

/**
 * One of the `accepts` entries, AgentPay's: the seven x402 fields, checked as AgentPay reads them.
 * Under `upto`, `amount` is the maximum (and `lineItems`, when given, add up to it).
 */
export const AgentPayRequirements = z
  .object({
    scheme: z.enum(AGENTPAY_SCHEMES),
    network: AgentPayNetwork,
    amount: AtomicAmount,
    asset: Currency,
    payTo: z.string().min(1, 'payTo (the merchant id) is required').max(100),
    maxTimeoutSeconds: z.number().int().positive(),
    extra: AgentPayExtra.default({}),
  })
  .superRefine((requirements, ctx) => {
    const items = requirements.extra.lineItems;
    if (!items) return;
    const total = items.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0);
    if (String(total) !== requirements.amount) {
      ctx.addIssue({ code: 'custom', path: ['extra', 'lineItems'], message: `line items add up to ${total} but amount is ${requirements.amount}` });
    }
  });
export type AgentPayRequirements = z.infer<typeof AgentPayRequirements>;

/** Any scheme's requirements: only AgentPay's are read in detail. */
const AnyRequirements = z.object({ scheme: z.string().min(1), network: z.string().min(1) }).loose();

export const ResourceInfo = z
  .object({ url: z.string().min(1), description: z.string().optional(), mimeType: z.string().optional() })
  .loose();
export type ResourceInfo = z.infer<typeof ResourceInfo>;

export const PaymentRequired = z
  .object({
    x402Version: z.literal(X402_VERSION),
    error: z.string().optional(),
    resource: ResourceInfo,
    accepts: z.array(AnyRequirements).min(1, 'accepts lists at least one way to pay'),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type PaymentRequired = z.infer<typeof PaymentRequired>;

/** AgentPay's payload: the granted token's secret. */
export const AgentPayPayload = z.object({ token: z.string().min(1, 'payload.token is required').max(200) }).strict();
export type AgentPayPayload = z.infer<typeof AgentPayPayload>;

export const PaymentPayload = z
  .object({
    x402Version: z.literal(X402_VERSION),
    resource: ResourceInfo.optional(),
    accepted: AnyRequirements,
    payload: z.record(z.string(), z.unknown()),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type PaymentPayload = z.infer<typeof PaymentPayload>;

/** What a resource server sends the facilitator's `/verify` and `/settle`. */
export const FacilitatorRequest = z
  .object({
    x402Version: z.literal(X402_VERSION),
    paymentPayload: PaymentPayload,
    paymentRequirements: AnyRequirements,
  })
  .loose();
export type FacilitatorRequest = z.infer<typeof FacilitatorRequest>;

export const VerifyResponse = z.object({
  isValid: z.boolean(),
  invalidReason: z.string().optional(),
  invalidMessage: z.string().optional(),
  payer: z.string().optional(),
});
export type VerifyResponse = z.infer<typeof VerifyResponse>;

export const SettleResponse = z.object({
  success: z.boolean(),
  errorReason: z.string().optional(),
  errorMessage: z.string().optional(),
  payer: z.string().optional(),
  /** AgentPay: the charge's id; empty when nothing was charged (a failed settle, or an `upto` settled at 0). */
  transaction: z.string(),
  network: z.string(),
  amount: z.string().optional(),
});
export type SettleResponse = z.infer<typeof SettleResponse>;

export const SupportedResponse = z.object({
  kinds: z.array(z.object({ x402Version: z.number().int(), scheme: z.string(), network: z.string(), extra: z.record(z.string(), z.unknown()).optional() })),
  extensions: z.array(z.string()),
  signers: z.record(z.string(), z.array(z.string())),
});
export type SupportedResponse = z.infer<typeof SupportedResponse>;

/** The money an AgentPay requirement asks for. */
export const requiredMoney = (requirements: Pick<AgentPayRequirements, 'amount' | 'asset'>): Money =>
  ({ minor: Number(requirements.amount), currency: requirements.asset });

/**
 * The AgentPay entry of a 402 in `scheme` (default `exact`: the first on an AgentPay network), or
 * undefined when it takes other ways only.
 */
export function agentpayAccept(required: PaymentRequired, scheme: AgentPaySchemeName = AGENTPAY_SCHEME): AgentPayRequirements | undefined {
  const entry = required.accepts.find((a) => a.scheme === scheme && isAgentPayNetwork(a.network));
  if (!entry) return undefined;
  const parsed = AgentPayRequirements.safeParse(entry);
  if (!parsed.success) throw new X402Error(PAYMENT_REQUIRED_HEADER, `${PAYMENT_REQUIRED_HEADER} is invalid: ${summarize(parsed.error)}`);
  return parsed.data;
}

/** A header that is not what its schema says; the message names the header and the field. */
export class X402Error extends Error {
  override name = 'X402Error';
  constructor(readonly header: string, message: string) {
    super(message);
  }
}

export const encodePaymentRequired = (value: PaymentRequired) => encodeX402Header(PAYMENT_REQUIRED_HEADER, PaymentRequired, value);
export const decodePaymentRequired = (header: string | null | undefined) => decodeX402Header(PAYMENT_REQUIRED_HEADER, PaymentRequired, header);
export const encodePaymentSignature = (value: PaymentPayload) => encodeX402Header(PAYMENT_SIGNATURE_HEADER, PaymentPayload, value);
export const decodePaymentSignature = (header: string | null | undefined) => decodeX402Header(PAYMENT_SIGNATURE_HEADER, PaymentPayload, header);
export const encodePaymentResponse = (value: SettleResponse) => encodeX402Header(PAYMENT_RESPONSE_HEADER, SettleResponse, value);
export const decodePaymentResponse = (header: string | null | undefined) => decodeX402Header(PAYMENT_RESPONSE_HEADER, SettleResponse, header);

/** Base64 (standard alphabet) of the UTF-8 JSON, as x402 headers are written. */
export function encodeX402Header<T>(name: string, schema: z.ZodType<T>, value: T): string {
  const bytes = new TextEncoder().encode(JSON.stringify(check(name, schema, value)));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Reads a header written by `encodeX402Header`; base64url is accepted too, so a lenient client still gets through. */
export function decodeX402Header<T>(name: string, schema: z.ZodType<T>, header: string | null | undefined): T {
  if (header == null || header.trim() === '') throw new X402Error(name, `${name} is missing`);
  let json: unknown;
  try {
    const base64 = header.trim().replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch (error) {
    throw new X402Error(name, `${name} is not base64-encoded JSON: ${(error as Error).message}`);
  }
  return check(name, schema, json);
}

function check<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new X402Error(name, `${name} is invalid: ${summarize(result.error)}`);
}

const summarize = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

/**
 * What a merchant's x402 resource server gives the official `HTTPFacilitatorClient` as
 * `createAuthHeaders`: each call to the relay's `/verify` and `/settle` signed by the merchant's
 * key, over the call alone (a fresh nonce each time; the body names the merchant as `payTo`).
 * `facilitatorUrl` is the relay's facilitator, e.g. `http://127.0.0.1:8787/x402`.
 */
export function facilitatorAuthHeaders(merchant: Signer, facilitatorUrl: string, now: () => number = Date.now) {
  const base = new URL(facilitatorUrl).pathname.replace(/\/$/, '');
  const sign = async (path: string) => {
    const claims: RequestClaims = { aud: httpAudience('POST', `${base}${path}`), ts: now(), nonce: randomString(24) };
    return { [SIGNATURE_HEADER]: await signCanonical(claims, merchant.privateKey, merchant.id) };
  };
  return async () => ({ verify: await sign('/verify'), settle: await sign('/settle'), supported: {} });
}
