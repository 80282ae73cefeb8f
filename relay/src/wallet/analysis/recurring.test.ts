import { describe, expect, it } from 'vitest';
import { charge } from './fixtures.ts';
import { findRecurring, nearlySame } from './recurring.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const at = (...days: string[]) => days.map((d) => `${d}T09:00:00Z`);

describe('findRecurring', () => {
  it.each([
    ['weekly, three in a row', at('2026-11-08', '2026-11-15', '2026-11-22'), [30_00, 30_00, 30_00], 'weekly', 3, '2026-11-29T00:00:00.000Z'],
    ['weekly with a day of slack and a price that moved a little', at('2026-11-07', '2026-11-15', '2026-11-21', '2026-11-28'), [30_00, 30_50, 29_80, 30_00], 'weekly', 4, '2026-12-05T00:00:00.000Z'],
    ['monthly on the 15th', at('2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15'), [88_00, 88_00, 88_00, 88_00], 'monthly', 4, '2026-12-15T00:00:00.000Z'],
    ['monthly on the 31st becomes the last day of the month', at('2026-08-31', '2026-09-30', '2026-10-31'), [9_00, 9_00, 9_00], 'monthly', 3, '2026-11-30T00:00:00.000Z'],
  ])('notices %s', (_name, days, amounts, interval, occurrences, next) => {
    const charges = days.map((d, i) => charge(d, amounts[i]!));
    expect(findRecurring(charges, NOW, 'UTC')).toEqual([
      expect.objectContaining({ merchantId: 'mer_tea', interval, occurrences, amount: { minor: amounts.at(-1), currency: 'CNY' }, nextExpectedAt: next }),
    ]);
  });

  it.each([
    ['only two', at('2026-11-15', '2026-11-22'), [30_00, 30_00]],
    ['irregular gaps', at('2026-11-01', '2026-11-04', '2026-11-20', '2026-11-22'), [30_00, 30_00, 30_00, 30_00]],
    ['weekly but the amounts differ', at('2026-11-08', '2026-11-15', '2026-11-22'), [30_00, 45_00, 30_00]],
    ['a habit that stopped months ago', at('2026-06-01', '2026-06-08', '2026-06-15'), [30_00, 30_00, 30_00]],
    ['refunded every time', at('2026-11-08', '2026-11-15', '2026-11-22'), [0, 0, 0]],
  ])('does not call %s recurring', (_name, days, amounts) => {
    expect(findRecurring(days.map((d, i) => charge(d, amounts[i]!)), NOW, 'UTC')).toEqual([]);
  });

  it('keeps the run when something else was bought there in between', () => {
    const charges = [...at('2026-11-08', '2026-11-15', '2026-11-22').map((d) => charge(d, 30_00)), charge('2026-11-18T09:00:00Z', 200_00)];
    expect(findRecurring(charges, NOW, 'UTC')).toEqual([expect.objectContaining({ interval: 'weekly', occurrences: 3, amount: { minor: 30_00, currency: 'CNY' } })]);
    const later = [...charges, charge('2026-11-29T08:00:00Z', 30_00)];
    expect(findRecurring(later, NOW, 'UTC')).toEqual([expect.objectContaining({ interval: 'weekly', occurrences: 4 })]);
  });

  it('finds two habits at one merchant, each of its own amount', () => {
    const weekly = at('2026-11-08', '2026-11-15', '2026-11-22').map((d) => charge(d, 30_00));
    const monthly = at('2026-09-10', '2026-10-10', '2026-11-10').map((d) => charge(d, 88_00));
    expect(findRecurring([...weekly, ...monthly], NOW, 'UTC').map((r) => [r.interval, r.amount.minor])).toEqual([['weekly', 30_00], ['monthly', 88_00]]);
  });

  it('counts days on the user calendar: 23:30 UTC is the next morning in Shanghai', () => {
    const charges = ['2026-11-07T23:30:00Z', '2026-11-15T01:00:00Z', '2026-11-21T23:30:00Z'].map((d) => charge(d, 12_00));
    const [found] = findRecurring(charges, NOW, 'Asia/Shanghai');
    expect(found).toMatchObject({ interval: 'weekly', occurrences: 3, nextExpectedAt: '2026-11-28T16:00:00.000Z' });
  });

  it('keeps merchants and currencies apart', () => {
    const days = at('2026-11-08', '2026-11-15', '2026-11-22');
    const mixed = days.map((d, i) => charge(d, 30_00, i === 1 ? { merchantId: 'mer_other', merchantName: 'Other' } : {}));
    expect(findRecurring(mixed, NOW, 'UTC')).toEqual([]);
  });
});

describe('nearlySame', () => {
  it.each([
    [100_00, 100_00, true], [104_99, 100_00, true], [106_00, 100_00, false], [2, 1, true], [3, 1, false],
  ])('%i against %i → %s', (a, b, same) => expect(nearlySame(a, b)).toBe(same));
});
