import { describe, expect, it } from 'vitest';
import { calendarDays, monthSpans, nextMonthSameDay, renewsAt } from './months.ts';

describe('monthSpans: this month and last in the user time zone', () => {
  it.each([
    // Late on 30 Nov UTC is already December in Shanghai.
    ['2026-11-30T17:00:00Z', 'Asia/Shanghai', '2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-11', '2026-10-31T16:00:00.000Z'],
    ['2026-11-30T17:00:00Z', 'UTC', '2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-10', '2026-10-01T00:00:00.000Z'],
    // January: last month is December of the year before.
    ['2027-01-05T12:00:00Z', 'America/New_York', '2027-01', '2027-01-01T05:00:00.000Z', '2027-02-01T05:00:00.000Z', '2026-12', '2026-12-01T05:00:00.000Z'],
    // Across a DST change: March in Berlin starts at UTC+1, April at UTC+2.
    ['2026-03-20T12:00:00Z', 'Europe/Berlin', '2026-03', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', '2026-02', '2026-01-31T23:00:00.000Z'],
  ])('at %s in %s', (now, zone, key, start, end, lastKey, lastStart) => {
    const { thisMonth, lastMonth } = monthSpans(new Date(now), zone);
    expect(thisMonth).toEqual({ key, start, end });
    expect(lastMonth).toEqual({ key: lastKey, start: lastStart, end: start });
  });
});

describe('renewsAt: the next period start, as the quota decisions count it', () => {
  it.each([
    ['2026-11-16T00:00:00.000Z', 'week', 'UTC', '2026-11-23T00:00:00.000Z'],
    ['2026-11-01T04:00:00.000Z', 'month', 'America/New_York', '2026-12-01T05:00:00.000Z'],
    ['2026-11-30T16:00:00.000Z', 'month', 'Asia/Shanghai', '2026-12-31T16:00:00.000Z'],
    ['2026-02-01T00:00:00.000Z', 'month', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['2026-03-28T23:00:00.000Z', 'day', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
  ] as const)('a %s period of %s in %s renews at %s', (start, period, zone, expected) => {
    expect(renewsAt(new Date(start), period, zone).toISOString()).toBe(expected);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-11-01T23:30:00Z', '2026-11-02T00:30:00Z', 'UTC', 1],
    ['2026-11-01T23:30:00Z', '2026-11-02T00:30:00Z', 'Asia/Shanghai', 0],
    ['2026-10-01T10:00:00Z', '2026-11-01T10:00:00Z', 'UTC', 31],
  ])('from %s to %s in %s is %i days', (a, b, zone, days) => {
    expect(calendarDays(new Date(a), new Date(b), zone)).toBe(days);
  });

  it.each([
    ['2026-01-31T10:00:00Z', 'UTC', '2026-02-28T00:00:00.000Z'],
    ['2026-11-15T10:00:00Z', 'Asia/Shanghai', '2026-12-14T16:00:00.000Z'],
    ['2026-12-15T10:00:00Z', 'UTC', '2027-01-15T00:00:00.000Z'],
  ])('a month after %s in %s is %s', (instant, zone, expected) => {
    expect(nextMonthSameDay(new Date(instant), zone).toISOString()).toBe(expected);
  });
});
