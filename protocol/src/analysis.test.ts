import { describe, expect, it } from 'vitest';
import { describeCategoryChange, SpendingAnalysis } from './analysis.ts';

describe('describeCategoryChange: the month-over-month line', () => {
  it.each([
    ['transport', 'CNY', 120_00, 85_71, 40, 'transport 120.00 CNY, up 40%'],
    ['physical_goods', 'CNY', 50_00, 100_00, -50, 'physical goods 50.00 CNY, down 50%'],
    ['food', 'USD', 12_00, 0, null, 'food and drink 12.00 USD, new this month'],
    ['food', 'JPY', 1200, 1200, 0, 'food and drink 1200 JPY, same as last month'],
    ['parking', 'CNY', 0, 30_00, -100, 'parking 0.00 CNY, down 100%'],
  ] as const)('%s %s %i against %i', (category, currency, thisMonthMinor, lastMonthMinor, changePercent, line) => {
    expect(describeCategoryChange({ category, currency, thisMonthMinor, lastMonthMinor, changePercent })).toBe(line);
  });
});

describe('SpendingAnalysis', () => {
  it('refuses an answer missing a part the wallet reads', () => {
    expect(SpendingAnalysis.safeParse({ timeZone: 'UTC' }).success).toBe(false);
  });
});
