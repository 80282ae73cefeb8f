import { describe, expect, it } from 'vitest';
import { charge } from './fixtures.ts';
import { compareCategories, rankShares, sumShares, TOP } from './totals.ts';

describe('compareCategories: this month against last', () => {
  const taxi = { category: 'transport' as const };
  it.each([
    ['up 40%', [charge('2026-11-03T10:00:00Z', 70_00, taxi), charge('2026-11-04T10:00:00Z', 50_00, taxi)], [charge('2026-10-03T10:00:00Z', 85_71, taxi)], 40],
    ['down 50%', [charge('2026-11-03T10:00:00Z', 10_00, taxi)], [charge('2026-10-03T10:00:00Z', 20_00, taxi)], -50],
    ['new this month (nothing last month)', [charge('2026-11-03T10:00:00Z', 10_00, taxi)], [], null],
    ['gone this month', [], [charge('2026-10-03T10:00:00Z', 20_00, taxi)], -100],
  ])('%s', (_name, thisMonth, lastMonth, percent) => {
    const [row] = compareCategories(thisMonth, lastMonth);
    expect(row).toMatchObject({ category: 'transport', currency: 'CNY', changePercent: percent });
  });

  it('never adds two currencies, and lists the biggest first within each', () => {
    const rows = compareCategories(
      [charge('2026-11-03T10:00:00Z', 5_00), charge('2026-11-03T11:00:00Z', 9_00, { category: 'food' }), charge('2026-11-03T12:00:00Z', 7_00, { currency: 'USD' })],
      [charge('2026-10-03T10:00:00Z', 3_00, { currency: 'USD' })],
    );
    expect(rows.map((r) => [r.currency, r.category, r.thisMonthMinor, r.lastMonthMinor])).toEqual([
      ['CNY', 'food', 9_00, 0], ['CNY', 'groceries', 5_00, 0], ['USD', 'groceries', 7_00, 3_00],
    ]);
  });

  it('leaves out a category whose charges were wholly refunded', () => {
    expect(compareCategories([charge('2026-11-03T10:00:00Z', 0)], [])).toEqual([]);
  });
});

describe('top merchants and agents', () => {
  it('ranks by net amount per currency, counts only payments not wholly refunded, keeps the top few', () => {
    const charges = [
      charge('2026-11-01T10:00:00Z', 10_00),
      charge('2026-11-02T10:00:00Z', 0),
      charge('2026-11-03T10:00:00Z', 30_00, { merchantId: 'mer_cafe', merchantName: 'Cafe', actorId: 'agt_car', actorName: 'Car' }),
      ...Array.from({ length: TOP + 2 }, (_, i) => charge('2026-11-04T10:00:00Z', 1_00 + i, { merchantId: `mer_${i}`, merchantName: `Shop ${i}`, currency: 'USD' })),
    ];
    const merchants = rankShares(sumShares(charges, 'merchant'));
    expect(merchants.filter((s) => s.currency === 'CNY')).toEqual([
      { id: 'mer_cafe', name: 'Cafe', currency: 'CNY', minor: 30_00, payments: 1 },
      { id: 'mer_tea', name: 'Tea Shop', currency: 'CNY', minor: 10_00, payments: 1 },
    ]);
    expect(merchants.filter((s) => s.currency === 'USD').map((s) => s.name)).toEqual(['Shop 6', 'Shop 5', 'Shop 4', 'Shop 3', 'Shop 2']);
    expect(rankShares(sumShares(charges, 'actor')).map((s) => [s.name, s.currency, s.minor])).toEqual([
      ['Car', 'CNY', 30_00], ['Shopping agent', 'CNY', 10_00], ['Shopping agent', 'USD', 7_21] // 1.00 + 1.01 + … + 1.06,
    ]);
  });
});
