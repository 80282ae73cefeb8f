import { describe, expect, it } from 'vitest';
import { createThrottle } from './throttle.ts';

describe('throttle', () => {
  const setup = () => {
    let clock = 1_000_000;
    const throttle = createThrottle({ limit: 3, windowMs: 60_000, now: () => clock });
    return { throttle, advance: (ms: number) => (clock += ms) };
  };

  it.each([
    [0, 0],
    [2, 0],
    [3, 60_000],
    [10, 60_000],
  ])('after %i hits at once, a key waits %i ms', (hits, wait) => {
    const { throttle } = setup();
    for (let i = 0; i < hits; i++) throttle.hit('mer_a');
    expect(throttle.retryAfterMs('mer_a')).toBe(wait);
    expect(throttle.retryAfterMs('mer_b')).toBe(0);
  });

  it('lets a key act again once its oldest hit leaves the window', () => {
    const { throttle, advance } = setup();
    throttle.hit('k');
    advance(20_000);
    throttle.hit('k');
    throttle.hit('k');
    expect(throttle.retryAfterMs('k')).toBe(40_000);
    advance(40_000);
    expect(throttle.retryAfterMs('k')).toBe(0);
  });
});
