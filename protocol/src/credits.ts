import * as z from 'zod';
import { Money } from './money.ts';
import { displayText } from './display-text.ts';
import { instant, text } from './text.ts';

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

/** The vendor's own id for a request; it goes in URLs (…/usage/{usageId}/settle), so it is URL-safe and never `.` or `..`. */
const UsageId = text({ error: 'usageId is required: the vendor\'s own id for the request' }).min(1, 'usageId is required').max(100)
  .regex(/^[A-Za-z0-9._~:-]+$/, 'usageId may hold letters, digits and . _ ~ : - (it is part of the settle and release URLs)')
  .refine((id) => id !== '.' && id !== '..', 'usageId cannot be . or .. (a URL would drop it)');
/** A model's name, shown in the wallet's usage chart: display text (no bidirectional tricks). */
const ModelName = displayText(100, 'model must not be empty');

/** Before serving a request: set aside at most `amount` of the account's credits. */
export const UsageReserve = z
  .object({
    accountId: text().min(1, 'accountId is required').max(100),
    usageId: UsageId,
    amount: Money,
    model: ModelName.optional(),
  })
  .strict()
  .refine((r) => r.amount.minor > 0, { path: ['amount', 'minor'], message: 'a reserve is above zero' });
export type UsageReserve = z.infer<typeof UsageReserve>;

/**
 * After serving it: what it actually cost (at most the reserve); the rest goes back. A vendor with
 * a price for the model may send only `units`: the relay prices them (rounded up to a minor unit).
 */
export const UsageSettle = z
  .object({
    amount: Money.optional(),
    /** Units used (tokens), for the usage statement. */
    units: z.number().int().nonnegative().max(1e12).optional(),
    model: ModelName.optional(),
  })
  .strict()
  .refine((s) => s.amount !== undefined || s.units !== undefined, {
    path: ['amount'], message: 'amount is required, unless units are sent for a model the vendor priced',
  });
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

/** One line of a vendor's price list: what a million units (e.g. tokens) of a model cost. */
export const VendorPrice = z
  .object({
    model: displayText(100, 'model is required'),
    /** What is counted, in the plural: "tokens", "requests", "seconds". */
    unit: displayText(40, 'unit is required, e.g. "tokens"'),
    perMillion: Money,
  })
  .strict();
export type VendorPrice = z.infer<typeof VendorPrice>;

/** A vendor registers (or replaces) its price list. */
export const VendorPriceList = z
  .object({ prices: z.array(VendorPrice).max(200) })
  .strict()
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.prices.forEach((price, i) => {
      if (seen.has(price.model)) ctx.addIssue({ code: 'custom', path: ['prices', i, 'model'], message: `model ${price.model} is priced twice` });
      seen.add(price.model);
    });
  });
export type VendorPriceList = z.infer<typeof VendorPriceList>;

/** A vendor as wallets and agents see it. */
export const Vendor = z.object({ id: z.string(), name: z.string(), prices: z.array(VendorPrice) });
export type Vendor = z.infer<typeof Vendor>;

/** The vendor gives unused credits back: the amount (all that is not reserved, if left out) is refunded through the charges that bought them. */
export const CreditRefundRequest = z
  .object({
    amount: Money.optional(),
    reason: text().max(200).optional(),
  })
  .strict()
  .refine((r) => r.amount === undefined || r.amount.minor > 0, { path: ['amount', 'minor'], message: 'a refund is above zero' });
export type CreditRefundRequest = z.infer<typeof CreditRefundRequest>;

export const CreditRefund = z.object({
  amount: Money,
  /** The purchase charges it went back through, with what each gave back. */
  refunds: z.array(z.object({ chargeId: z.string(), refundId: z.string(), amount: Money })),
  account: CreditAccount,
});
export type CreditRefund = z.infer<typeof CreditRefund>;

export const TopUpStatus = z.enum(['pending', 'held', 'paid', 'failed']);
export type TopUpStatus = z.infer<typeof TopUpStatus>;

/** An agent asks the relay to buy credits at a vendor for its wallet: a payment its mandate decides. */
export const TopUpRequest = z
  .object({
    vendorId: text().min(1, 'vendorId is required').max(100),
    amount: Money,
  })
  .strict()
  .refine((r) => r.amount.minor > 0, { path: ['amount', 'minor'], message: 'a top-up is above zero' });
export type TopUpRequest = z.infer<typeof TopUpRequest>;

/** A purchase of credits: asked by an agent, or automatic when a balance fell below the user's threshold. */
export const TopUp = z.object({
  id: z.string(),
  vendorId: z.string(),
  accountId: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }),
  amount: Money,
  automatic: z.boolean(),
  /** pending: being decided; held: waiting for the user; paid; failed (see `reason`). */
  status: TopUpStatus,
  intentId: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type TopUp = z.infer<typeof TopUp>;

/** The user lets one agent keep the account above `threshold` by buying `amount` when a settle takes it below. */
export const AutoTopUpSetting = z
  .object({
    agentId: text().min(1, 'agentId is required: the agent whose mandate pays the top-ups').max(100),
    threshold: Money,
    amount: Money,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.threshold.minor <= 0) ctx.addIssue({ code: 'custom', path: ['threshold', 'minor'], message: 'the threshold is above zero' });
    if (s.amount.minor <= 0) ctx.addIssue({ code: 'custom', path: ['amount', 'minor'], message: 'a top-up is above zero' });
    if (s.threshold.currency !== s.amount.currency) ctx.addIssue({ code: 'custom', path: ['amount', 'currency'], message: 'threshold and amount are in one currency' });
  });
export type AutoTopUpSetting = z.infer<typeof AutoTopUpSetting>;

export const AutoTopUp = z.object({
  accountId: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }),
  threshold: Money,
  amount: Money,
});
export type AutoTopUp = z.infer<typeof AutoTopUp>;

/** A vendor's settled usage in a period. */
export const UsageStatementQuery = z
  .object({ from: instant(), to: instant() })
  .strict()
  .refine((q) => new Date(q.from) < new Date(q.to), { path: ['to'], message: 'to must be after from' });
export type UsageStatementQuery = z.infer<typeof UsageStatementQuery>;

export const UsageStatement = z.object({
  from: z.string(),
  to: z.string(),
  /** Settled usage, by model (null: requests that named none) and currency. */
  lines: z.array(z.object({ model: z.string().nullable(), requests: z.number().int(), units: z.number().int(), amount: Money })),
});
export type UsageStatement = z.infer<typeof UsageStatement>;

/** The wallet's credits at each vendor: the AI Wallet's Token Pay page, and what an agent reads of them. */
export const WalletCredits = z.object({
  credits: z.array(z.object({
    accountId: z.string(),
    vendor: z.object({ id: z.string(), name: z.string() }),
    balance: Money,
    reserved: Money,
    /** The vendor's price list, for the units the usage counts. */
    prices: z.array(VendorPrice),
    /** Settled usage of the last 30 days, by day (UTC) and model. */
    usage: z.array(z.object({ day: z.string(), model: z.string().nullable(), requests: z.number().int(), units: z.number().int(), amount: Money })),
    /** Purchases of credits, newest first (the last 50), each with the agent that bought it. */
    topUps: z.array(TopUp),
    autoTopUp: AutoTopUp.nullable(),
  })),
});
export type WalletCredits = z.infer<typeof WalletCredits>;
