import type { RecurringPurchase } from '@agentpay/protocol';
import { calendarDays, daysLater, nextMonthSameDay } from './months.ts';
import type { NetCharge } from './totals.ts';

/** Gaps in calendar days that still read as "every week" or "every month" to a person. */
const INTERVALS = {
  weekly: { min: 6, max: 8, nominal: 7 },
  monthly: { min: 27, max: 33, nominal: 30 },
} as const;
type Interval = keyof typeof INTERVALS;

/** At least this many in a row before the wallet calls it a habit. */
export const MIN_OCCURRENCES = 3;

/** Two amounts are "the same purchase" within 5% of the later one (prices move a little; a tip or a promotion). */
export function nearlySame(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1, Math.round(b * 0.05));
}

function intervalOf(gap: number): Interval | undefined {
  return (Object.keys(INTERVALS) as Interval[]).find((k) => gap >= INTERVALS[k].min && gap <= INTERVALS[k].max);
}

/** The run of same-amount charges ending at the last of `same` (oldest first), at a steady gap, and that gap. */
function runEndingAt(same: NetCharge[], timeZone: string): { run: NetCharge[]; interval?: Interval } {
  const run = [same.at(-1)!];
  let interval: Interval | undefined;
  for (let i = same.length - 2; i >= 0; i--) {
    const gap = calendarDays(same[i]!.at, run[0]!.at, timeZone);
    const fits = interval ? gap >= INTERVALS[interval].min && gap <= INTERVALS[interval].max : intervalOf(gap);
    if (fits) {
      interval ??= intervalOf(gap);
      run.unshift(same[i]!);
    } else if (gap > (interval ? INTERVALS[interval].max : INTERVALS.monthly.max)) {
      break;
    }
  }
  return { run, interval };
}

/**
 * The recurring purchases in `charges`: per merchant, currency and amount (within 5%), the run of
 * charges before the latest one at a steady weekly or monthly gap. A purchase of another amount in
 * between does not break the run (the user also bought something else there; it may be a habit of
 * its own); nor does a second same-amount one inside a gap. A habit that stopped (nothing for half
 * an interval past when the next was due) is not listed.
 */
export function findRecurring(charges: NetCharge[], now: Date, timeZone: string): RecurringPurchase[] {
  const groups = new Map<string, NetCharge[]>();
  for (const c of charges) {
    if (c.minor <= 0) continue;
    const key = `${c.merchantId} ${c.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const found: RecurringPurchase[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.at.getTime() - b.at.getTime());
    const tried: number[] = [];
    // Each amount once, anchored at its latest purchase.
    for (const latest of [...sorted].reverse()) {
      if (tried.some((minor) => nearlySame(minor, latest.minor))) continue;
      tried.push(latest.minor);
      const same = sorted.filter((c) => c.at <= latest.at && nearlySame(c.minor, latest.minor));
      const { run, interval } = runEndingAt(same, timeZone);
      if (!interval || run.length < MIN_OCCURRENCES) continue;
      const next = interval === 'weekly' ? daysLater(latest.at, 7, timeZone) : nextMonthSameDay(latest.at, timeZone);
      if (calendarDays(next, now, timeZone) > INTERVALS[interval].nominal / 2) continue;
      found.push({
        merchantId: latest.merchantId,
        merchantName: latest.merchantName,
        interval,
        amount: { minor: latest.minor, currency: latest.currency },
        occurrences: run.length,
        lastAt: latest.at.toISOString(),
        nextExpectedAt: next.toISOString(),
      });
    }
  }
  return found.sort((a, b) => a.nextExpectedAt.localeCompare(b.nextExpectedAt) || a.merchantName.localeCompare(b.merchantName));
}
