import type { RelayEvent } from '../events/hub.ts';
import type { Queryable } from '../store/database.ts';

/** Appends a step to a task's timeline (also used by agents and devices directly). */
export async function recordProgress(
  tx: Queryable,
  outbox: RelayEvent[],
  event: { walletId: string; actorId: string; taskId: string; stage: string; message?: string; intentId?: string; at?: string },
): Promise<void> {
  const [row] = await tx.query<{ at: Date }>(
    `INSERT INTO progress_events (wallet_id, actor_id, task_id, stage, message, intent_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now())) RETURNING at`,
    [event.walletId, event.actorId, event.taskId, event.stage, event.message ?? null, event.intentId ?? null, event.at ?? null],
  );
  outbox.push({
    type: 'progress',
    walletId: event.walletId,
    actorId: event.actorId,
    event: { taskId: event.taskId, stage: event.stage as never, message: event.message, intentId: event.intentId, at: row!.at.toISOString() },
  });
}

export interface TimelineStep {
  stage: string;
  message: string | null;
  intentId: string | null;
  actorId: string;
  at: string;
}

/** A task's steps in the order they were taken (a device queued offline reports them late), for the wallet's timeline. */
export async function taskTimeline(db: Queryable, walletId: string, taskId: string): Promise<TimelineStep[]> {
  const rows = await db.query<{ stage: string; message: string | null; intent_id: string | null; actor_id: string; at: Date }>(
    'SELECT stage, message, intent_id, actor_id, at FROM progress_events WHERE wallet_id = $1 AND task_id = $2 ORDER BY at, id',
    [walletId, taskId],
  );
  return rows.map((r) => ({ stage: r.stage, message: r.message, intentId: r.intent_id, actorId: r.actor_id, at: r.at.toISOString() }));
}

/** Recent tasks with their latest step, newest first. */
export async function recentTasks(db: Queryable, walletId: string, limit = 50) {
  const rows = await db.query<{ task_id: string; actor_id: string; stage: string; message: string | null; at: Date }>(
    `SELECT DISTINCT ON (task_id) task_id, actor_id, stage, message, at FROM progress_events
     WHERE wallet_id = $1 ORDER BY task_id, id DESC`,
    [walletId],
  );
  return rows
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, limit)
    .map((r) => ({ taskId: r.task_id, actorId: r.actor_id, stage: r.stage, message: r.message, at: r.at.toISOString() }));
}
