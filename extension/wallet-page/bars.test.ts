import { describe, expect, it } from 'vitest';
import { keyLabel } from './bars.ts';

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
});
