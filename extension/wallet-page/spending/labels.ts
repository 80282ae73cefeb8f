import type { BudgetStanding, RecurringPurchase, SpendingShare } from '@agentpay/protocol';
import { categoryLabel, formatMoney } from '@agentpay/protocol';

/** Amounts in different currencies never share an axis: one group per currency, in a stable order. */
export function byCurrency<T extends { currency: string }>(rows: T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.currency, [...(groups.get(row.currency) ?? []), row]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

/** "2026-11" → "November 2026". */
export function monthLabel(key: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return key;
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15)));
}

/** "29 November", on the user's calendar. */
export function dayLabel(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone }).format(new Date(instant));
}

/** Minor units as a chart value in major units (the axis reads 140, not 14000). */
export function major(minor: number, currency: string): number {
  return Number(formatMoney({ minor, currency }).split(' ')[0]);
}

/** What a screen reader announces for a ranking chart, e.g. "Top merchants this month in CNY: City Taxi 140.00 CNY, …". */
export function rankingSummary(title: string, currency: string, shares: SpendingShare[]): string {
  const parts = shares.map((s) => `${s.name} ${formatMoney({ minor: s.minor, currency })}`);
  return `${title} in ${currency}: ${parts.length ? parts.join(', ') : 'nothing yet'}`;
}

const PERIOD = { day: 'today', week: 'this week', month: 'this month' } as const;

/** "Lunch agent: 15.00 CNY left of 100.00 CNY this month (85% used); renews on 1 December." */
export function budgetSentence(b: BudgetStanding, timeZone: string): string {
  return `${b.actorName}: ${formatMoney(b.left)} left of ${formatMoney(b.budget)} ${PERIOD[b.period]} (${b.usedPercent}% used); renews on ${dayLabel(b.renewsAt, timeZone)}.`;
}

/** "Demo Tea Shop: 30.00 CNY every week, 3 times so far; next around 29 November." */
export function habitSentence(r: RecurringPurchase, timeZone: string): string {
  const every = r.interval === 'weekly' ? 'every week' : 'every month';
  return `${r.merchantName}: ${formatMoney(r.amount)} ${every}, ${r.occurrences} times so far; next around ${dayLabel(r.nextExpectedAt, timeZone)}.`;
}

export { categoryLabel };
