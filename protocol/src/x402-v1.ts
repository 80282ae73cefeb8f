import * as z from 'zod';
import { Category, LineItem } from './intent.ts';
import { Money } from './money.ts';
import { decodeX402Header as decodeHeader, encodeX402Header as encodeHeader, X402Error } from './x402.ts';

export { X402Error };

/**
 * AgentPay's first HTTP 402 dialect (x402 v1 shapes, scheme `agentpay`): still
 * paid by the extension for sites that speak it. New work speaks x402 v2 (x402.ts).
 *
 *   402  PAYMENT-REQUIRED:   base64(JSON PaymentRequired)
 *   GET  X-PAYMENT:          base64(JSON PaymentPayload)   (the retry)
 *   200  X-PAYMENT-RESPONSE: base64(JSON PaymentResponse)
 *
 * base64 is the standard alphabet over the UTF-8 bytes of the JSON, as x402
 * uses; decoding also accepts base64url so a lenient client still gets through.
 */
export const PAYMENT_REQUIRED_HEADER = 'PAYMENT-REQUIRED';
export const PAYMENT_HEADER = 'X-PAYMENT';
export const PAYMENT_RESPONSE_HEADER = 'X-PAYMENT-RESPONSE';
export const X402_SCHEME = 'agentpay';

/** What to ask the relay for: exactly the fields of an intent, plus the merchant's reference. */
export const PaymentRequirement = z
  .object({
    scheme: z.literal(X402_SCHEME),
    merchantId: z.string().min(1, 'merchantId is required'),
    amount: Money,
    lineItems: z.array(LineItem).min(1).max(200),
    category: Category,
    reference: z.string().min(1, 'reference is required').max(120),
    description: z.string().max(500).optional(),
  })
  .strict();
export type PaymentRequirement = z.infer<typeof PaymentRequirement>;

/** Other schemes (on-chain x402 ones) may sit beside ours; only ours is checked in detail. */
const AnyScheme = z.object({ scheme: z.string().min(1, 'scheme is required') }).loose();

export const PaymentRequired = z
  .object({
    x402Version: z.literal(1),
    accepts: z.array(AnyScheme).min(1, 'accepts lists at least one way to pay'),
    error: z.string().optional(),
  })
  .loose()
  .superRefine((value, ctx) => {
    value.accepts.forEach((entry, index) => {
      if (entry.scheme !== X402_SCHEME) return;
      for (const issue of PaymentRequirement.safeParse(entry).error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: ['accepts', index, ...issue.path], message: issue.message });
      }
    });
  });
export type PaymentRequired = z.infer<typeof PaymentRequired>;

/** The retry's X-PAYMENT: the token secret the relay granted for that requirement. */
export const PaymentPayload = z
  .object({
    scheme: z.literal(X402_SCHEME),
    reference: z.string().min(1, 'reference is required').max(120),
    token: z.string().min(1, 'token is required (the secret of the token the relay granted)'),
  })
  .strict();
export type PaymentPayload = z.infer<typeof PaymentPayload>;

export const PaymentResponse = z.object({ chargeId: z.string().min(1) }).strict();
export type PaymentResponse = z.infer<typeof PaymentResponse>;

export const encodePaymentRequired = (value: PaymentRequired) => encodeHeader(PAYMENT_REQUIRED_HEADER, PaymentRequired, value);
export const decodePaymentRequired = (header: string | null | undefined) => decodeHeader(PAYMENT_REQUIRED_HEADER, PaymentRequired, header);
export const encodePaymentPayload = (value: PaymentPayload) => encodeHeader(PAYMENT_HEADER, PaymentPayload, value);
export const decodePaymentPayload = (header: string | null | undefined) => decodeHeader(PAYMENT_HEADER, PaymentPayload, header);
export const encodePaymentResponse = (value: PaymentResponse) => encodeHeader(PAYMENT_RESPONSE_HEADER, PaymentResponse, value);
export const decodePaymentResponse = (header: string | null | undefined) => decodeHeader(PAYMENT_RESPONSE_HEADER, PaymentResponse, header);

/** The AgentPay entry of a PaymentRequired, or undefined when the resource takes other schemes only. */
export function agentpayRequirement(required: PaymentRequired): PaymentRequirement | undefined {
  const entry = required.accepts.find((a) => a.scheme === X402_SCHEME);
  return entry ? PaymentRequirement.parse(entry) : undefined;
}

