import { describe, expect, it } from 'vitest';
import { issuedAfter } from './fields.ts';

describe('issuedAfter', () => {
  const now = new Date('2026-11-21T10:00:00.000Z');
  it.each([
    [undefined, '2026-11-21T10:00:00.000Z'],
    ['2026-11-20T10:00:00Z', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.001Z'],
    ['2026-11-21T12:00:00+02:00', '2026-11-21T10:00:00.001Z'],
    ['2026-11-22T00:00:00Z', '2026-11-22T00:00:00.001Z'],
    ['garbage', '2026-11-21T10:00:00.000Z'],
  ])('after %s → %s', (previous, issued) => {
    expect(issuedAfter(now, previous)).toBe(issued);
  });
});
