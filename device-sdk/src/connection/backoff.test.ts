import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

describe('backoffDelay', () => {
  it.each([
    [0, 250],
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [5, 5000],
    [50, 5000],
  ])('attempt %i waits %i ms without jitter', (attempt, ms) => {
    expect(backoffDelay(attempt, noJitter)).toBe(ms);
  });

  it('spreads attempts by the jitter fraction and never past the maximum', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 1)).toBe(1200);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 1)).toBe(5000);
  });

  it('never waits more than 5 s by default, so a device is back within 5 s of its relay serving again', () => {
    const longest = Math.max(...Array.from({ length: 40 }, (_, attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1)));
    expect(longest).toBeLessThanOrEqual(5000);
  });
});
