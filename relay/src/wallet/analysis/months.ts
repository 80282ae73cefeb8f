import type { MonthSpan } from '@agentpay/protocol';
import { localTime, midnight, periodStart } from '../../mandates/clock.ts';

/** "2026-11": the calendar month holding `instant` in `timeZone`. */
export function monthKey(instant: Date, timeZone: string): string {
  const t = localTime(instant, timeZone);
  return `${t.year}-${String(t.month).padStart(2, '0')}`;
}

/** This calendar month and the one before it, in the user's time zone (DST-safe: each starts at local midnight on the 1st). */
export function monthSpans(now: Date, timeZone: string): { thisMonth: MonthSpan; lastMonth: MonthSpan } {
  const start = periodStart(now, 'month', timeZone);
  const t = localTime(start, timeZone);
  const end = midnight(t.year, t.month + 1, 1, timeZone);
  const lastStart = midnight(t.year, t.month - 1, 1, timeZone);
  const span = (from: Date, to: Date) => ({ key: monthKey(from, timeZone), start: from.toISOString(), end: to.toISOString() });
  return { thisMonth: span(start, end), lastMonth: span(lastStart, start) };
}

/**
 * When a quota period that started at `start` renews: the next local midnight, Monday or 1st.
 * Found by asking the relay's own period logic about an instant safely inside the next period,
 * so the wallet and the decisions never disagree on when a budget starts afresh.
 */
export function renewsAt(start: Date, period: 'day' | 'week' | 'month', timeZone: string): Date {
  const HOUR = 3_600_000;
  const inside = { day: 36 * HOUR, week: 8 * 24 * HOUR, month: 35 * 24 * HOUR }[period];
  return periodStart(new Date(start.getTime() + inside), period, timeZone);
}

/** Whole calendar days from `a` to `b` as dates in `timeZone` (what a person counts on a calendar). */
export function calendarDays(a: Date, b: Date, timeZone: string): number {
  const x = localTime(a, timeZone);
  const y = localTime(b, timeZone);
  return Math.round((Date.UTC(y.year, y.month - 1, y.day) - Date.UTC(x.year, x.month - 1, x.day)) / 86_400_000);
}

/** The same day a calendar month later (the 31st becomes the month's last day), at local midnight. */
export function nextMonthSameDay(instant: Date, timeZone: string): Date {
  const t = localTime(instant, timeZone);
  const lastDay = new Date(Date.UTC(t.year, t.month + 1, 0)).getUTCDate();
  return midnight(t.year, t.month + 1, Math.min(t.day, lastDay), timeZone);
}

/** Local midnight `days` calendar days after `instant`'s date. */
export function daysLater(instant: Date, days: number, timeZone: string): Date {
  const t = localTime(instant, timeZone);
  return midnight(t.year, t.month, t.day + days, timeZone);
}
