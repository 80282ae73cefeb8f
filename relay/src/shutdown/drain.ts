import type { Logger } from 'pino';

/** How long a stopping relay answers requests already in its hands before it cuts their connections. */
export const DRAIN_MS = 1_500;
/** What a refused client is told to wait: a restart usually takes a few seconds. */
const RETRY_AFTER_SECONDS = 5;

export interface Drain {
  /** Wraps the HTTP app's fetch: counts requests in flight, and refuses new state changes once stopping. */
  fetch(request: Request, next: () => Response | Promise<Response>): Promise<Response>;
  /**
   * Stops taking on work and waits (at most `DRAIN_MS`) for the requests in flight to be answered.
   * A request inside its transaction finishes it (committed whole) or never started it: the database
   * closes only after this, and a refused request changed nothing.
   */
  stop(): Promise<void>;
}

/**
 * Ctrl+C must not wait on clients: streams and long polls end themselves (they watch the event hub,
 * closed before this runs), and writes that arrive meanwhile get a plain 503 with Retry-After.
 */
export function createDrain(log: Logger): Drain {
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  return {
    async fetch(request, next) {
      if (stopping && request.method !== 'GET' && request.method !== 'HEAD') return refusal();
      const answered = Promise.resolve().then(next);
      const tracked = answered.catch(() => undefined);
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
      return answered;
    },
    async stop() {
      stopping = true;
      if (inFlight.size === 0) return;
      const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), DRAIN_MS).unref());
      const outcome = await Promise.race([Promise.allSettled([...inFlight]).then(() => 'done' as const), deadline]);
      if (outcome === 'late') log.warn({ requests: inFlight.size }, 'stopping without waiting longer for requests still running');
    },
  };
}

function refusal(): Response {
  const message = `The relay is stopping, so it did not take this request and nothing was paid or changed; try again in ${RETRY_AFTER_SECONDS} seconds, once it is back.`;
  return Response.json(
    { error: { code: 'relay_stopping', message } },
    { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' } },
  );
}
