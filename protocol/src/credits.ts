import * as z from 'zod';
import { Money } from './money.ts';
import { text } from './text.ts';

/**
 * Token Pay: a wallet's prepaid credits at a vendor (a model company, or any merchant selling
 * metered usage), bought with a token like any payment, then spent by metered requests that the
 * vendor reserves and settles.
 */

/** The vendor sells credits: it charges the agent's token, and the amount becomes the wallet's balance with it. */
export const CreditPurchase = z
  .object({
    token: text().min(1, 'token is required (the secret of the token the relay granted)').max(200),
    amount: Money,
    /** The vendor's own reference for the purchase. */
    reference: text().max(120).optional(),
  })
  .strict();
export type CreditPurchase = z.infer<typeof CreditPurchase>;

/** A wallet's credits at one vendor, as that vendor sees them (never the wallet's id). */
export const CreditAccount = z.object({
  id: z.string(),
  vendorId: z.string(),
  balance: Money,
  reserved: Money,
  /** What a new reserve may take now: balance minus reserved. */
  available: Money,
});
export type CreditAccount = z.infer<typeof CreditAccount>;

const UsageId = text({ error: 'usageId is required: the vendor\'s own id for the request' }).min(1, 'usageId is required').max(100);

/** Before serving a request: set aside at most `amount` of the account's credits. */
export const UsageReserve = z
  .object({
    accountId: text().min(1, 'accountId is required').max(100),
    usageId: UsageId,
    amount: Money,
    model: text().max(100).optional(),
  })
  .strict()
  .refine((r) => r.amount.minor > 0, { path: ['amount', 'minor'], message: 'a reserve is above zero' });
export type UsageReserve = z.infer<typeof UsageReserve>;

/** After serving it: what it actually cost (at most the reserve); the rest goes back. */
export const UsageSettle = z
  .object({
    amount: Money,
    /** Units used (tokens), for the usage statement. */
    units: z.number().int().nonnegative().max(1e12).optional(),
    model: text().max(100).optional(),
  })
  .strict();
export type UsageSettle = z.infer<typeof UsageSettle>;

export const UsageStatus = z.enum(['reserved', 'settled', 'released', 'lapsed']);

export const Usage = z.object({
  usageId: z.string(),
  accountId: z.string(),
  status: UsageStatus,
  reserved: Money,
  settled: Money.nullable(),
  model: z.string().nullable(),
  units: z.number().nullable(),
  expiresAt: z.string(),
  /** The account after this step. */
  account: CreditAccount,
});
export type Usage = z.infer<typeof Usage>;
