import { describe, expect, it } from 'vitest';
import { orderDescription } from './total-label.ts';

describe('orderDescription: a bare "Total" never stands for what is bought', () => {
  it.each([
    ['Total', 'Tea shop · checkout'],
    ['  total: ', 'Tea shop · checkout'],
    ['Order total', 'Tea shop · checkout'],
    ['Amount due', 'Tea shop · checkout'],
    ['Gesamtsumme', 'Tea shop · checkout'],
    ['合计', 'Tea shop · checkout'],
    ['总计：', 'Tea shop · checkout'],
    ['', 'Tea shop · checkout'],
    [undefined, 'Tea shop · checkout'],
    ['2 × Longjing green tea', '2 × Longjing green tea'],
    ['Total Wine & More order 1042', 'Total Wine & More order 1042'],
    ['Parking, level 2', 'Parking, level 2'],
  ])('%j → %j', (label, expected) => {
    expect(orderDescription(label, 'Tea shop · checkout')).toBe(expected);
  });
});
