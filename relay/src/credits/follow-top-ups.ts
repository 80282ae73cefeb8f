import type { RelayContext } from '../context.ts';
import { openTopUps, runTopUp } from './top-ups.ts';

/**
 * Moves top-ups along as soon as something happens to them: a settle opened one (`credits.low`),
 * or the user answered the intent of a held one. The sweeper's `sweep()` catches what an event
 * missed (a crash between commit and event). One run per top-up at a time in this process; the
 * top-up's row lock keeps two relays from both acting on it.
 */
export function followTopUps(ctx: RelayContext, signal: AbortSignal): { sweep(): Promise<void>; idle(): Promise<void> } {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const run = (id: string): Promise<void> => {
    const current = running.get(id);
    if (current) {
      again.add(id);
      return current;
    }
    const done = (async () => {
      do {
        again.delete(id);
        await runTopUp(ctx, id).catch((err: Error) => ctx.log.warn({ err, topUpId: id }, 'top-up failed to advance; the sweeper will retry'));
      } while (again.has(id) && !signal.aborted);
    })().finally(() => running.delete(id));
    running.set(id, done);
    return done;
  };

  ctx.events.subscribe((event) => {
    if (event.type === 'credits.low') void run(event.topUpId);
    if (event.type === 'intent.updated' && event.cause !== 'created') {
      void ctx.db.query<{ id: string }>(`SELECT id FROM credit_top_ups WHERE intent_id = $1 AND status = 'held'`, [event.intent.id])
        .then((rows) => rows.forEach((row) => void run(row.id)))
        .catch((err: Error) => ctx.log.warn({ err }, 'could not look up the top-up of an answered intent'));
    }
  }, signal);

  return {
    async sweep() {
      for (const id of await openTopUps(ctx.db)) await run(id);
    },
    async idle() {
      await Promise.all(running.values());
    },
  };
}
