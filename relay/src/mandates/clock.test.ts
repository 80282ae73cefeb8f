import { describe, expect, it } from 'vitest';
import { inTimeWindow, nextPeriodStart, periodStart } from './clock.ts';

describe('periodStart', () => {
  it.each([
    ['2026-11-17T02:00:00Z', 'day', 'UTC', '2026-11-17T00:00:00.000Z'],
    ['2026-11-17T02:00:00Z', 'day', 'Asia/Shanghai', '2026-11-16T16:00:00.000Z'],
    ['2026-11-17T02:00:00Z', 'week', 'UTC', '2026-11-16T00:00:00.000Z'],
    ['2026-11-22T23:00:00Z', 'week', 'UTC', '2026-11-16T00:00:00.000Z'],
    ['2026-11-30T17:00:00Z', 'month', 'Asia/Shanghai', '2026-11-30T16:00:00.000Z'],
    ['2026-11-17T02:00:00Z', 'month', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-03-20T12:00:00Z', 'month', 'Europe/Berlin', '2026-02-28T23:00:00.000Z'],
  ] as const)('%s per %s in %s starts at %s', (instant, period, tz, expected) => {
    expect(periodStart(new Date(instant), period, tz).toISOString()).toBe(expected);
  });
});

describe('nextPeriodStart (when a budget renews)', () => {
  it.each([
    ['2026-11-17T00:00:00Z', 'day', 'UTC', '2026-11-18T00:00:00.000Z'],
    ['2026-10-24T22:00:00Z', 'day', 'Europe/Berlin', '2026-10-25T23:00:00.000Z'], // a 25-hour day
    ['2026-03-28T23:00:00Z', 'day', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'], // a 23-hour day
    ['2026-10-26T04:00:00Z', 'week', 'America/New_York', '2026-11-02T05:00:00.000Z'], // a week with an hour more
    ['2026-10-31T16:00:00Z', 'month', 'Asia/Shanghai', '2026-11-30T16:00:00.000Z'],
    ['2026-01-31T23:00:00Z', 'month', 'Europe/Berlin', '2026-02-28T23:00:00.000Z'], // February
    ['2026-02-28T23:00:00Z', 'month', 'Europe/Berlin', '2026-03-31T22:00:00.000Z'], // into summer time
  ] as const)('after the %s %s in %s: %s', (start, period, tz, expected) => {
    expect(nextPeriodStart(new Date(start), period, tz).toISOString()).toBe(expected);
  });
});

describe('inTimeWindow', () => {
  const night = { start: '22:00', end: '06:00', timeZone: 'UTC', days: [5] }; // Friday night into Saturday
  it.each([
    ['2026-11-20T23:00:00Z', true],
    ['2026-11-21T05:59:00Z', true],
    ['2026-11-21T06:00:00Z', false],
    ['2026-11-21T23:00:00Z', false],
    ['2026-11-20T12:00:00Z', false],
  ])('a window spanning midnight: %s → %s', (instant, inside) => {
    expect(inTimeWindow(new Date(instant), night)).toBe(inside);
  });
});
