import * as z from 'zod';
import { Category } from './intent.ts';
import { categoryInSentence } from './labels.ts';
import { QuotaPeriod } from './mandate.ts';
import { Currency, formatMoney, Money } from './money.ts';
import { TimeZone } from './text.ts';

/**
 * The AI Wallet's spending analysis (`GET /v1/wallet/analysis?timeZone=…`): what was spent, where,
 * through which agent, what repeats, what each budget has left, and what the user might change.
 * Every amount is net, charged minus refunded (the ledger's truth), counted on the day of the
 * charge in the user's time zone.
 */
export const AnalysisQuery = z.object({ timeZone: TimeZone });
export type AnalysisQuery = z.infer<typeof AnalysisQuery>;

/** One calendar month in the user's time zone: [start, end). */
export const MonthSpan = z.object({ key: z.string(), start: z.string(), end: z.string() });
export type MonthSpan = z.infer<typeof MonthSpan>;

/** A category this month against last, in one currency; `changePercent` is null when last month had nothing. */
export const CategoryChange = z.object({
  category: Category,
  currency: Currency,
  thisMonthMinor: z.number().int(),
  lastMonthMinor: z.number().int(),
  changePercent: z.number().int().nullable(),
});
export type CategoryChange = z.infer<typeof CategoryChange>;

/** Who money went to (a merchant) or through (an agent or device), in one currency. */
export const SpendingShare = z.object({ id: z.string(), name: z.string(), currency: Currency, minor: z.number().int(), payments: z.number().int() });
export type SpendingShare = z.infer<typeof SpendingShare>;

/** The same merchant, (nearly) the same amount, at a regular interval. */
export const RecurringPurchase = z.object({
  merchantId: z.string(),
  merchantName: z.string(),
  interval: z.enum(['weekly', 'monthly']),
  /** The amount of the latest one. */
  amount: Money,
  occurrences: z.number().int().min(3),
  lastAt: z.string(),
  /** When the next one is likely, a week or a calendar month after the last. */
  nextExpectedAt: z.string(),
});
export type RecurringPurchase = z.infer<typeof RecurringPurchase>;

/** A quota mandate's current period: what is spent (including approved, not yet charged) and left. */
export const BudgetStanding = z.object({
  actorId: z.string(),
  actorName: z.string(),
  period: QuotaPeriod,
  timeZone: z.string(),
  budget: Money,
  spent: Money,
  left: Money,
  usedPercent: z.number().int(),
  periodStart: z.string(),
  renewsAt: z.string(),
});
export type BudgetStanding = z.infer<typeof BudgetStanding>;

/** A plain sentence drawn from the user's own records, with what it is about. */
export const Suggestion = z.object({
  kind: z.enum(['budget_nearly_spent', 'make_a_rule', 'recurring']),
  text: z.string(),
  actorId: z.string().nullable(),
  merchantId: z.string().nullable(),
});
export type Suggestion = z.infer<typeof Suggestion>;

const Ranking = z.object({ thisMonth: z.array(SpendingShare), allTime: z.array(SpendingShare) });

export const SpendingAnalysis = z.object({
  timeZone: z.string(),
  generatedAt: z.string(),
  thisMonth: MonthSpan,
  lastMonth: MonthSpan,
  byCategory: z.array(CategoryChange),
  topMerchants: Ranking,
  topAgents: Ranking,
  recurring: z.array(RecurringPurchase),
  budgets: z.array(BudgetStanding),
  suggestions: z.array(Suggestion),
});
export type SpendingAnalysis = z.infer<typeof SpendingAnalysis>;

/** A category as the analysis writes it, in the wallet's one set of names ("physical goods", "EV charging"). */
export function categoryLabel(category: string): string {
  const known = Category.safeParse(category);
  return known.success ? categoryInSentence(known.data) : category.replaceAll('_', ' ');
}

/** The month-over-month line a person reads: "transport 120.00 CNY, up 40%". */
export function describeCategoryChange(change: CategoryChange): string {
  const spent = `${categoryLabel(change.category)} ${formatMoney({ minor: change.thisMonthMinor, currency: change.currency })}`;
  if (change.changePercent === null) return `${spent}, new this month`;
  if (change.changePercent === 0) return `${spent}, same as last month`;
  const direction = change.changePercent > 0 ? 'up' : 'down';
  return `${spent}, ${direction} ${Math.abs(change.changePercent)}%`;
}
