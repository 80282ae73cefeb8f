import * as z from 'zod';
import { multilineText, text, instant } from './text.ts';
import { Currency, Minor, Money } from './money.ts';
import { displayText } from './display-text.ts';

/** How the payment was started. */
export const Channel = z.enum(['browser', 'api', 'device-voice', 'device-scan']);
export type Channel = z.infer<typeof Channel>;

/** What is being bought; mandates allow or deny by category. */
export const Category = z.enum([
  'physical_goods', 'digital_goods', 'groceries', 'food', 'parking', 'tolls', 'ev_charging',
  'fuel', 'transport', 'travel', 'entertainment', 'services', 'other',
]);
export type Category = z.infer<typeof Category>;

export const LineItem = z
  .object({
    name: displayText(200),
    quantity: z.number().int().positive().max(10_000),
    unitMinor: Minor,
  })
  .strict();
export type LineItem = z.infer<typeof LineItem>;

/** What an agent or device asks to pay. Line items must add up to the amount exactly. */
export const IntentRequest = z
  .object({
    merchantId: text().min(1, 'merchantId is required').max(100),
    amount: Money,
    lineItems: z.array(LineItem).max(200).default([]),
    /**
     * What is bought, when the checkout states it (structured data, the merchant's own
     * payment data). Left out, the relay takes the merchant's registered default, else
     * `other`: a guess here would make one shop's purchase two categories.
     */
    category: Category.optional(),
    channel: Channel,
    description: multilineText().max(500).optional(),
    /** The task this payment belongs to, for the wallet's progress timeline. */
    taskId: text().max(64).optional(),
    /** When the agent or device created the intent; the relay refuses ones too old. */
    createdAt: instant().optional(),
    /** Where the intent was made: a device driving, the origin the browser saw. */
    context: z
      .object({ driving: z.boolean().optional(), origin: text().max(300).optional() })
      .strict()
      .default({}),
    /** Evidence gathered on the device, e.g. the voice transcript that confirmed. */
    evidence: z.record(text().max(100), multilineText().max(2000)).optional(),
  })
  .strict()
  .superRefine((intent, ctx) => {
    if (intent.lineItems.length === 0) return;
    const total = intent.lineItems.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0);
    if (total !== intent.amount.minor) {
      ctx.addIssue({
        code: 'custom',
        path: ['lineItems'],
        message: `line items add up to ${total} but amount.minor is ${intent.amount.minor}`,
      });
    }
  });
export type IntentRequest = z.infer<typeof IntentRequest>;

export const IntentStatus = z.enum(['approved', 'pending_confirmation', 'declined', 'denied', 'expired']);
export type IntentStatus = z.infer<typeof IntentStatus>;

export const Reason = z.object({ code: z.string(), message: z.string() });
export type Reason = z.infer<typeof Reason>;

/** Why the relay decided what it did; kept in the audit trail. */
export const Decision = z.object({
  outcome: z.enum(['approve', 'confirm', 'decline']),
  /** The mandate that decided, when one did. */
  mandateId: z.string().nullable(),
  /** The rule inside a conditional mandate that matched, when one did. */
  ruleId: z.string().nullable(),
  reasons: z.array(Reason),
  /** Risk checks that sent the payment to confirmation. */
  risk: z.array(Reason),
});
export type Decision = z.infer<typeof Decision>;

/**
 * The token in the shape a browser checkout's card form takes. The number is
 * Luhn-valid under the BIN 999 (no card network issues numbers starting 999),
 * unique per token; the expiry is the token's expiry month; the CVC is derived
 * from the token with the vault key and never stored, like the secret.
 */
export const CardDetails = z
  .object({
    number: z.string().regex(/^\d{16}$/, 'card.number is 16 digits'),
    expMonth: z.number().int().min(1, 'card.expMonth is 1 to 12').max(12, 'card.expMonth is 1 to 12'),
    expYear: z.number().int().min(2000, 'card.expYear is a four-digit year').max(9999, 'card.expYear is a four-digit year'),
    cvc: z.string().regex(/^\d{3}$/, 'card.cvc is 3 digits'),
  })
  .strict();
export type CardDetails = z.infer<typeof CardDetails>;

/** A single-use payment token, returned once to the agent that asked. */
export const TokenGrant = z.object({
  id: z.string(),
  /** The secret the merchant charges with. The relay keeps only its keyed hash. */
  secret: z.string(),
  merchantId: z.string(),
  currency: Currency,
  maxMinor: Minor,
  expiresAt: z.string(),
  /** The same token as card details, for checkouts that only take a card form. */
  card: CardDetails,
});
export type TokenGrant = z.infer<typeof TokenGrant>;

export const Intent = z.object({
  id: z.string(),
  walletId: z.string(),
  actorId: z.string(),
  merchantId: z.string(),
  amount: Money,
  lineItems: z.array(LineItem),
  category: Category,
  channel: Channel,
  description: z.string().nullable(),
  taskId: z.string().nullable(),
  status: IntentStatus,
  decision: Decision,
  createdAt: z.string(),
  /** Until when a held intent waits for the user's answer. */
  confirmBy: z.string().nullable(),
  /** Present only in the answer to the actor that created or confirmed the intent. */
  token: TokenGrant.optional(),
});
export type Intent = z.infer<typeof Intent>;
