/**
 * Counts events per key in a sliding window and says when a key has had its
 * fill: how many wrong pairing codes an address tried, how many unknown cards
 * a merchant asked to charge. In memory: each relay keeps its own counts, so
 * across N relays a key gets at most N times the limit.
 */
export interface Throttle {
  /** Counts one event for `key`. */
  hit(key: string): void;
  /** Milliseconds until `key` may act again, or 0 when it is under its limit. */
  retryAfterMs(key: string): number;
}

export interface ThrottleOptions {
  /** Events allowed per window. */
  limit: number;
  windowMs: number;
  /** The clock (the relay's, so tests can move it). */
  now: () => number;
  /** Keys remembered at most; the oldest are forgotten first. */
  maxKeys?: number;
}

export function createThrottle({ limit, windowMs, now, maxKeys = 10_000 }: ThrottleOptions): Throttle {
  const hits = new Map<string, number[]>();
  const recent = (key: string) => {
    const cutoff = now() - windowMs;
    const times = (hits.get(key) ?? []).filter((t) => t > cutoff);
    if (times.length === 0) hits.delete(key);
    else hits.set(key, times);
    return times;
  };
  return {
    hit(key) {
      const times = recent(key);
      times.push(now());
      hits.delete(key);
      hits.set(key, times.slice(-limit));
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value!);
    },
    retryAfterMs(key) {
      const times = recent(key);
      return times.length < limit ? 0 : times[0]! + windowMs - now();
    },
  };
}
