import { describe, expect, it } from 'vitest';
import { daysWithUsage, usageGrid, usageSummary } from './usage-grid.ts';

const CNY = (minor: number) => ({ minor, currency: 'CNY' });
const usage = (day: string, model: string | null, minor: number, requests = 1, units = 1000) => ({ day, model, requests, units, amount: CNY(minor) });

describe('usageGrid', () => {
  const today = new Date('2026-05-10T15:00:00Z');

  it('puts the last 30 UTC days on the axis and one series per model, the most spent first', () => {
    const grid = usageGrid({ balance: CNY(0), usage: [usage('2026-05-08', 'mini', 5), usage('2026-05-10', 'large', 120, 2, 40_000), usage('2026-05-10', 'mini', 3)] }, today);
    expect(grid.days).toHaveLength(30);
    expect(grid.days[0]).toBe('2026-04-11');
    expect(grid.days.at(-1)).toBe('2026-05-10');
    expect(grid.models.map((m) => [m.label, m.totalMinor, m.requests, m.units])).toEqual([['large', 120, 2, 40_000], ['mini', 8, 2, 2000]]);
    expect(grid.models[1]!.minor.at(-1)).toBe(3);
    expect(grid.models[1]!.minor.at(-3)).toBe(5);
    expect(daysWithUsage(grid)).toEqual(['2026-05-08', '2026-05-10']);
    expect(grid.currency).toBe('CNY');
  });

  it('names usage without a model, and follows a relay clock ahead of the browser', () => {
    const grid = usageGrid({ balance: CNY(0), usage: [usage('2026-05-11', null, 7)] }, today);
    expect(grid.days.at(-1)).toBe('2026-05-11');
    expect(grid.models.map((m) => m.label)).toEqual(['no model named']);
  });

  it('says what the chart shows in words', () => {
    const grid = usageGrid({ balance: CNY(0), usage: [usage('2026-05-10', 'large', 120, 2, 40_000)] }, today);
    expect(usageSummary('Tea AI', grid, () => 'tokens')).toBe('Usage at Tea AI by day and model, last 30 days, in CNY: large 1.20 CNY (2 requests, 40,000 tokens)');
    expect(usageSummary('Tea AI', usageGrid({ balance: CNY(0), usage: [] }, today), () => 'tokens')).toBe('Usage at Tea AI by day and model, last 30 days, in CNY: none yet');
  });
});
