import type { ConfirmationRequest } from '@agentpay/protocol';
import * as z from 'zod';
import type { RelayContext } from '../context.ts';
import { confirmationRequest } from '../intents/confirmation-request.ts';
import type { IntentRow } from '../intents/model.ts';

export const ConfirmationsQuery = z.object({
  /** Only the held intent of this task (the `taskId` the agent gave its intent). */
  taskId: z.string().min(1).max(64).optional(),
  /**
   * Long poll: wait up to this many seconds until a matching intent is held. A wallet asks this beside
   * the agent's POST /v1/intents, so the request reaches it as the relay holds the intent, not one round trip later.
   */
  waitSeconds: z.coerce.number().int().min(0).max(10).default(0),
});
export type ConfirmationsQuery = z.infer<typeof ConfirmationsQuery>;

/** The wallet's intents waiting for the user (of one task, if asked), oldest first; waiting for one if asked to. */
export async function pendingConfirmations(ctx: RelayContext, walletId: string, query: ConfirmationsQuery, signal: AbortSignal): Promise<ConfirmationRequest[]> {
  const read = async () => {
    const rows = await ctx.db.query<IntentRow & { actor_name: string }>(
      `SELECT i.*, a.name AS actor_name FROM intents i JOIN actors a ON a.id = i.actor_id
       WHERE i.wallet_id = $1 AND i.status = 'pending_confirmation' AND i.confirm_by > $2 AND ($3::text IS NULL OR i.task_id = $3)
       ORDER BY i.created_at`,
      [walletId, ctx.now(), query.taskId ?? null],
    );
    return Promise.all(rows.map((r) => confirmationRequest(ctx.db, r, r.actor_name)));
  };
  if (query.waitSeconds === 0) return read();

  const stop = new AbortController();
  const ended = AbortSignal.any([signal, ctx.events.closing, stop.signal, AbortSignal.timeout(query.waitSeconds * 1000)]);
  let wake: () => void = () => undefined;
  // Listening before the first read, so an intent held between the read and the wait is not missed.
  ctx.events.subscribe((event) => {
    if (event.type === 'confirmation.requested' && event.walletId === walletId) wake();
  }, stop.signal);
  try {
    for (;;) {
      const requested = new Promise<void>((resolve) => {
        wake = resolve;
        ended.addEventListener('abort', () => resolve(), { once: true });
      });
      const found = await read();
      if (found.length > 0 || ended.aborted) return found;
      await requested;
      if (ended.aborted) return read();
    }
  } finally {
    stop.abort();
  }
}
