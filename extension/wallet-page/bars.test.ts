import { describe, expect, it } from 'vitest';
import { barGeometry, chartSummary, keyLabel, seriesByCurrency, type SpendingRow } from './bars.ts';

const layout = { width: 400, labelWidth: 100, valueWidth: 100, rowHeight: 20, gap: 10 };

describe('barGeometry', () => {
  it.each([
    ['no items', [], [], 0],
    ['one item fills the track', [1000], [200], 20],
    ['proportional to the largest', [1000, 500, 250], [200, 100, 50], 80],
    ['zero stays empty', [1000, 0], [200, 0], 50],
    ['tiny amounts stay visible', [1_000_000, 1], [200, 2], 50],
    ['all zero', [0, 0], [0, 0], 50],
  ])('%s', (_name, minors, widths, height) => {
    const { bars, height: h } = barGeometry(minors.map((minor, i) => ({ key: `k${i}`, minor })), layout);
    expect(bars.map((b) => b.width)).toEqual(widths);
    expect(bars.map((b) => b.y)).toEqual(minors.map((_, i) => i * 30));
    expect(bars.every((b) => b.x === 100 && b.height === 20)).toBe(true);
    expect(h).toBe(height);
  });
});

describe('seriesByCurrency', () => {
  const rows: SpendingRow[] = [
    { key: 'food', currency: 'CNY', minor: '3500', count: '2' },
    { key: 'groceries', currency: 'CNY', minor: 12000, count: 1 },
    { key: 'travel', currency: 'USD', minor: 999, count: 1 },
    { key: 'other', currency: 'CNY', minor: -5, count: 1 },
  ];
  it.each([
    ['amount', [['CNY', ['groceries', 'food', 'other']], ['USD', ['travel']]]],
    ['key', [['CNY', ['food', 'groceries', 'other']], ['USD', ['travel']]]],
  ] as const)('orders by %s, one series per currency', (order, expected) => {
    const series = seriesByCurrency(rows, order);
    expect(series.map((s) => [s.currency, s.items.map((i) => i.key)])).toEqual(expected);
  });
  it('reads string amounts as numbers and never negative', () => {
    const cny = seriesByCurrency(rows, 'amount')[0]!;
    expect(cny.items.map((i) => i.minor)).toEqual([12000, 3500, 0]);
    expect(cny.items[1]!.count).toBe(2);
  });
});

describe('labels', () => {
  it.each([
    ['2026-11', 'month', 'Nov 2026'],
    ['2026-01', 'month', 'Jan 2026'],
    ['2026-13', 'month', '2026-13'],
    ['physical_goods', 'category', 'physical goods'],
    ['food', 'category', 'food'],
  ] as const)('%s by %s → %s', (key, by, label) => {
    expect(keyLabel(key, by)).toBe(label);
  });

  it.each([
    [{ currency: 'CNY', items: [{ key: 'groceries', minor: 12000, count: 1 }, { key: 'ev_charging', minor: 35, count: 1 }] }, 'category',
      'Spending by category in CNY: groceries 120.00 CNY, ev charging 0.35 CNY'],
    [{ currency: 'JPY', items: [{ key: '2026-11', minor: 1200, count: 1 }] }, 'month', 'Spending by month in JPY: Nov 2026 1200 JPY'],
    [{ currency: 'USD', items: [] }, 'month', 'Spending by month in USD: nothing yet'],
  ] as const)('summary %#', (series, by, text) => {
    expect(chartSummary({ currency: series.currency, items: [...series.items] }, by)).toBe(text);
  });
});
