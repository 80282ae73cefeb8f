import * as z from 'zod';
import { multilineText, text, TimeZone, instant } from './text.ts';
import { PasskeyAssertion } from './passkey.ts';
import { Category, Channel } from './intent.ts';
import { Currency, Minor, Money } from './money.ts';

/** A merchant id named in a mandate. */
const MerchantRef = text().max(100);

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are "HH:MM" (24 h)');

/** When a rule applies, in the user's own time zone. */
export const TimeWindow = z
  .object({
    /** Days of week, 0 = Sunday. Omitted means every day. */
    days: z.array(z.number().int().min(0).max(6)).min(1).optional(),
    start: Hhmm,
    end: Hhmm,
    timeZone: TimeZone.default('UTC'),
  })
  .strict();
export type TimeWindow = z.infer<typeof TimeWindow>;

const AllowDeny = <T extends z.ZodType>(item: T) =>
  z.object({ allow: z.array(item).optional(), deny: z.array(item).optional() }).strict();

/**
 * One conditional rule: "physical goods on this shop under 200 CNY".
 * Every condition present must hold for the rule to approve.
 */
export const Rule = z
  .object({
    id: text().min(1).max(64),
    description: multilineText().max(200).optional(),
    currency: Currency,
    /** Largest single payment the rule approves, in minor units of `currency`. */
    maxPerPaymentMinor: Minor,
    merchants: AllowDeny(MerchantRef).optional(),
    categories: AllowDeny(Category).optional(),
    channels: z.array(Channel).min(1).optional(),
    timeWindow: TimeWindow.optional(),
    /** Only while the device reports that the car is being driven. */
    whileDriving: z.boolean().optional(),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const QuotaPeriod = z.enum(['day', 'week', 'month']);
export type QuotaPeriod = z.infer<typeof QuotaPeriod>;

const MandateBase = {
  /** Contract version of the mandate document. */
  v: z.literal(1),
  walletId: text().max(100),
  /** The agent or device this mandate lets pay. */
  actorId: text().max(100),
  /** When the wallet signed it; a newer mandate replaces an older one. */
  issuedAt: instant(),
  /** Merchants and categories that are always declined, whatever else says. */
  block: z
    .object({ merchants: z.array(MerchantRef).default([]), categories: z.array(Category).default([]) })
    .strict()
    .default({ merchants: [], categories: [] }),
};

/** Every payment waits for the user's signed approval. */
export const ConfirmEachMandate = z.object({ ...MandateBase, kind: z.literal('confirm_each') }).strict();

/** The user's own rules; a payment no rule approves falls back to confirmation. */
export const RulesMandate = z
  .object({ ...MandateBase, kind: z.literal('rules'), rules: z.array(Rule).min(1).max(50) })
  .strict();

/** A budget the agent spends freely, debited atomically; beyond it, confirmation. */
export const QuotaMandate = z
  .object({
    ...MandateBase,
    kind: z.literal('quota'),
    budget: Money,
    period: QuotaPeriod,
    /** Time zone in which periods start (midnight, Monday, the 1st). */
    timeZone: TimeZone.default('UTC'),
    maxPerPaymentMinor: Minor.optional(),
    categories: z.array(Category).min(1).optional(),
    /** Merchants the user named: known to the risk checks even before a first purchase. */
    merchants: z.array(MerchantRef).optional(),
  })
  .strict();

export const MandateDocument = z.discriminatedUnion('kind', [ConfirmEachMandate, RulesMandate, QuotaMandate]);
export type MandateDocument = z.infer<typeof MandateDocument>;
export type MandateKind = MandateDocument['kind'];

/** What a wallet sends: the mandate as an ES256 JWS over its canonical JSON. */
export const SignedMandate = z
  .object({
    jws: z.string().min(1, 'jws is required'),
    /** Once the wallet has a passkey: its assertion over mandateChallenge(challengeId, jws). */
    passkey: PasskeyAssertion.optional(),
  })
  .strict();

export const Mandate = z.object({
  id: z.string(),
  actorId: z.string(),
  walletId: z.string(),
  kind: z.enum(['confirm_each', 'rules', 'quota']),
  document: MandateDocument,
  jws: z.string(),
  createdAt: z.string(),
  /** For quota mandates: what is spent in the current period. */
  spent: Money.nullable(),
});
export type Mandate = z.infer<typeof Mandate>;
