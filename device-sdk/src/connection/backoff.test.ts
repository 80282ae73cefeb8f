import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

describe('backoffDelay', () => {
  it.each([
    [0, 250],
    [1, 500],
    [2, 1000],
    [6, 16_000],
    [7, 30_000],
    [50, 30_000],
  ])('attempt %i waits %i ms without jitter', (attempt, ms) => {
    expect(backoffDelay(attempt, noJitter)).toBe(ms);
  });

  it('spreads attempts by the jitter fraction and never past the maximum', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 1)).toBe(1200);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 1)).toBe(30_000);
  });
});
