import * as z from 'zod';
import { multilineText, text } from './text.ts';
import { CardDetails, Category, LineItem } from './intent.ts';
import { Money } from './money.ts';
import { PasskeyAssertion } from './passkey.ts';

/**
 * What the wallet signs to approve or deny a held intent. Every field the
 * user was shown is in it, so an approval cannot be reused for another cart.
 */
export const ApprovalClaims = z
  .object({
    type: z.literal('agentpay.approval.v1'),
    intentId: text().max(100),
    decision: z.enum(['approve', 'deny']),
    merchantId: text().max(100),
    amount: Money,
    lineItems: z.array(LineItem),
    category: Category,
  })
  .strict();
export type ApprovalClaims = z.infer<typeof ApprovalClaims>;

/**
 * The wallet's answer to a confirmation request. Approving an intent that needs
 * step-up also carries a WebAuthn assertion whose challenge is
 * approvalChallenge(challengeId, jws), so the user verified this very approval, once.
 */
export const ConfirmationAnswer = z
  .object({ jws: z.string().min(1, 'jws is required'), passkey: PasskeyAssertion.optional() })
  .strict();
export type ConfirmationAnswer = z.infer<typeof ConfirmationAnswer>;

/** Pushed to the user's wallets when an intent is held. */
export const ConfirmationRequest = z.object({
  intentId: z.string(),
  walletId: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  /**
   * Whom the payment goes to. Only `provenOrigins` are the merchant's own sites; `lookalikes` are
   * merchants registered earlier, with a proven origin, whose names look the same as this one's
   * (Unicode confusables, case and spacing aside): a wallet warns that the name may imitate theirs.
   */
  merchant: z.object({
    id: z.string(),
    name: z.string(),
    origins: z.array(z.string()),
    provenOrigins: z.array(z.string()),
    lookalikes: z.array(z.object({ id: z.string(), name: z.string(), provenOrigins: z.array(z.string()) })),
  }),
  /** Exactly what the approval must sign. */
  claims: ApprovalClaims.omit({ decision: true }),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  risk: z.array(z.object({ code: z.string(), message: z.string() })),
  mandateId: z.string().nullable(),
  /**
   * The mandate that sent this payment to the user, in words ("A budget of 500.00 CNY a month …"), and
   * what its budget has left. Optional: relays before it sent only `mandateId`.
   */
  mandate: z.object({ description: z.string(), budgetLeft: Money.nullable() }).optional(),
  /** Where the money comes from, as far as the relay knows ("your AgentPay wallet"). Optional for older relays. */
  fundingSource: z.string().optional(),
  expiresAt: z.string(),
  /** Approving needs a passkey assertion too: the wallet has one and the amount reaches its step-up threshold. */
  stepUp: z.boolean(),
});
export type ConfirmationRequest = z.infer<typeof ConfirmationRequest>;

/** Merchant API: charge a token, given as its secret or as its card details (exactly one). */
export const ChargeRequest = z
  .object({
    token: text().min(1, 'token must not be empty').max(200).optional(),
    card: CardDetails.optional(),
    amount: Money,
    /** The merchant's own order reference. */
    reference: text().max(120).optional(),
  })
  .strict()
  .superRefine((charge, ctx) => {
    if ((charge.token === undefined) === (charge.card === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give exactly one of token (the secret) or card (number, expMonth, expYear, cvc)' });
    }
  });
export type ChargeRequest = z.infer<typeof ChargeRequest>;

export const ChargeStatus = z.enum(['succeeded', 'partially_refunded', 'refunded']);

export const Charge = z.object({
  id: z.string(),
  merchantId: z.string(),
  intentId: z.string(),
  tokenId: z.string(),
  amount: Money,
  refundedMinor: z.number().int(),
  status: ChargeStatus,
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export type Charge = z.infer<typeof Charge>;

/** Merchant API: refund part or all of a charge. Omitting amount refunds what remains. */
export const RefundRequest = z
  .object({ amount: Money.optional(), reason: multilineText().max(300).optional() })
  .strict();
export type RefundRequest = z.infer<typeof RefundRequest>;

export const Refund = z.object({
  id: z.string(),
  chargeId: z.string(),
  amount: Money,
  reason: z.string().nullable(),
  /** `merchant` for a merchant's refund, `wallet` for a reversal asked by the user. */
  initiatedBy: z.enum(['merchant', 'wallet']),
  createdAt: z.string(),
});
export type Refund = z.infer<typeof Refund>;
