/** How long to wait before each reconnect attempt after the connection drops. */
export interface Backoff {
  /** Delay before the first attempt, in ms. */
  initialMs: number;
  /** Longest delay between attempts, in ms. */
  maxMs: number;
  /** Each failed attempt multiplies the delay by this. */
  factor: number;
  /** Fraction (0–1) of random spread, so a fleet of cars leaving one tunnel does not reconnect in step. */
  jitter: number;
}

/**
 * 250 ms, 0.5, 1, 2, 4, then every 5 s. The maximum bounds how long a device takes to notice that its relay
 * serves again after a restart; a failed attempt costs the relay nothing (a refused TCP connection), so a
 * short maximum is cheap, and the jitter keeps a fleet from arriving in step.
 */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000, factor: 2, jitter: 0.2 };

/** The delay before attempt number `attempt` (0 for the first attempt after a drop). */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt));
  const spread = base * backoff.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(backoff.maxMs, base + spread)));
}
