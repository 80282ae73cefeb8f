import type { QuotaPeriod, TimeWindow } from '@agentpay/protocol';

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock time at `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday!] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant of local midnight on a calendar date in `timeZone` (DST-safe); day 0 or 32 roll over as in Date.UTC. */
export function midnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const seen = localTime(new Date(instant), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day) + seen.minutes * 60_000;
    instant -= seenAsUtc - guess;
  }
  return new Date(instant);
}

/** Start of the quota period holding `instant`: local midnight, Monday, or the 1st. */
export function periodStart(instant: Date, period: QuotaPeriod, timeZone: string): Date {
  const t = localTime(instant, timeZone);
  if (period === 'month') return midnight(t.year, t.month, 1, timeZone);
  if (period === 'week') {
    const back = (t.weekday + 6) % 7;
    const monday = new Date(Date.UTC(t.year, t.month - 1, t.day - back));
    return midnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
  }
  return midnight(t.year, t.month, t.day, timeZone);
}

/** When the quota period after the one starting at `start` begins (a budget renews then). */
export function nextPeriodStart(start: Date, period: QuotaPeriod, timeZone: string): Date {
  // Past the longest such period, whatever daylight saving did to it, and back to that period's start.
  const beyond = { day: 25 * 3600_000, week: (7 * 24 + 2) * 3600_000, month: 32 * 24 * 3600_000 }[period];
  return periodStart(new Date(start.getTime() + beyond), period, timeZone);
}

/** Whether `instant` falls inside the window; a window whose end is before its start spans midnight. */
export function inTimeWindow(instant: Date, window: TimeWindow): boolean {
  const t = localTime(instant, window.timeZone);
  const [sh, sm] = window.start.split(':').map(Number) as [number, number];
  const [eh, em] = window.end.split(':').map(Number) as [number, number];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (start <= end) {
    return (!window.days || window.days.includes(t.weekday)) && t.minutes >= start && t.minutes < end;
  }
  // Spanning midnight: the early-morning part belongs to the previous day's window.
  if (t.minutes >= start) return !window.days || window.days.includes(t.weekday);
  if (t.minutes < end) return !window.days || window.days.includes((t.weekday + 6) % 7);
  return false;
}
