import type { BudgetStanding, RecurringPurchase } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { budgetSentence, byCurrency, habitSentence, major, monthLabel, rankingSummary } from './labels.ts';

describe('the Spending section words', () => {
  it.each([
    ['2026-11', 'November 2026'],
    ['2027-01', 'January 2027'],
    ['not-a-month', 'not-a-month'],
  ])('month %s reads %s', (key, label) => expect(monthLabel(key)).toBe(label));

  it.each([
    [14000, 'CNY', 140], [35, 'CNY', 0.35], [1200, 'JPY', 1200], [1234, 'KWD', 1.234],
  ])('%i minor %s is %d on the axis', (minor, currency, value) => expect(major(minor, currency)).toBe(value));

  it('groups by currency, never mixing them', () => {
    expect(byCurrency([{ currency: 'USD', n: 1 }, { currency: 'CNY', n: 2 }, { currency: 'USD', n: 3 }])).toEqual([
      ['CNY', [{ currency: 'CNY', n: 2 }]], ['USD', [{ currency: 'USD', n: 1 }, { currency: 'USD', n: 3 }]],
    ]);
  });

  it.each([
    ['month', 'Lunch agent: 15.00 CNY left of 100.00 CNY this month (85% used); renews on 1 December.'],
    ['week', 'Lunch agent: 15.00 CNY left of 100.00 CNY this week (85% used); renews on 1 December.'],
    ['day', 'Lunch agent: 15.00 CNY left of 100.00 CNY today (85% used); renews on 1 December.'],
  ] as const)('a %s budget reads as one sentence', (period, sentence) => {
    const budget: BudgetStanding = {
      actorId: 'agt_1', actorName: 'Lunch agent', period, timeZone: 'Asia/Shanghai', budget: { minor: 100_00, currency: 'CNY' },
      spent: { minor: 85_00, currency: 'CNY' }, left: { minor: 15_00, currency: 'CNY' }, usedPercent: 85,
      periodStart: '2026-10-31T16:00:00.000Z', renewsAt: '2026-11-30T16:00:00.000Z',
    };
    expect(budgetSentence(budget, 'Asia/Shanghai')).toBe(sentence);
  });

  it('a habit reads with its next date on the user calendar', () => {
    const habit: RecurringPurchase = {
      merchantId: 'mer_1', merchantName: 'Demo Tea Shop', interval: 'monthly', amount: { minor: 30_00, currency: 'CNY' },
      occurrences: 4, lastAt: '2026-11-15T01:00:00.000Z', nextExpectedAt: '2026-12-14T16:00:00.000Z',
    };
    expect(habitSentence(habit, 'Asia/Shanghai')).toBe('Demo Tea Shop: 30.00 CNY every month, 4 times so far; next around 15 December.');
    expect(habitSentence(habit, 'UTC')).toBe('Demo Tea Shop: 30.00 CNY every month, 4 times so far; next around 14 December.');
  });

  it('a chart is announced with its numbers', () => {
    expect(rankingSummary('Top merchants this month', 'CNY', [{ id: 'm', name: 'City Taxi', currency: 'CNY', minor: 140_00, payments: 3 }]))
      .toBe('Top merchants this month in CNY: City Taxi 140.00 CNY');
    expect(rankingSummary('Top agents this month', 'USD', [])).toBe('Top agents this month in USD: nothing yet');
  });
});
