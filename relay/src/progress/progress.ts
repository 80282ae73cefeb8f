import type { WalletTask } from '@agentpay/protocol';
import type { RelayEvent } from '../events/hub.ts';
import { STORY_COLUMNS, STORY_JOINS, storyOf, type StoryRow } from '../payments/facts.ts';
import { taskFinished, taskStory } from '../payments/task-story.ts';
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

/**
 * Recent tasks, newest activity first: each with its latest step, its latest
 * payment (intents.task_id) and its story (see taskStory), finished exactly
 * when that story is final. A task that only asked to pay, never reporting a
 * step, is listed too.
 */
export async function recentTasks(db: Queryable, walletId: string, now: Date, limit = 50): Promise<WalletTask[]> {
  const steps = await db.query<{ task_id: string; actor_id: string; stage: string; message: string | null; at: Date }>(
    `SELECT DISTINCT ON (task_id) task_id, actor_id, stage, message, at FROM progress_events
     WHERE wallet_id = $1 ORDER BY task_id, id DESC`,
    [walletId],
  );
  const payments = await db.query<StoryRow>(
    `SELECT DISTINCT ON (i.task_id) i.*, ${STORY_COLUMNS} FROM intents i ${STORY_JOINS}
     WHERE i.wallet_id = $1 AND i.task_id IS NOT NULL ORDER BY i.task_id, i.created_at DESC, i.id DESC`,
    [walletId],
  );
  const tasks = new Map<string, WalletTask>();
  const paymentOf = new Map(payments.map((p) => [p.task_id!, p]));
  const ids = new Set([...steps.map((s) => s.task_id), ...payments.map((p) => p.task_id!)]);
  const stepOf = new Map(steps.map((s) => [s.task_id, s]));
  for (const taskId of ids) {
    const step = stepOf.get(taskId);
    const row = paymentOf.get(taskId);
    const story = taskStory(step ? { stage: step.stage, message: step.message, at: new Date(step.at) } : null, row ? storyOf(row, now) : null, now);
    const times = [step && new Date(step.at).getTime(), row && new Date(row.created_at).getTime(), new Date(story.at).getTime()].filter((t) => typeof t === 'number');
    tasks.set(taskId, {
      taskId,
      actorId: step?.actor_id ?? row!.actor_id,
      stage: step?.stage ?? null,
      message: step?.message ?? null,
      at: new Date(Math.min(Math.max(...times), now.getTime())).toISOString(),
      payment: row ? { intentId: row.id, merchantName: row.merchant_name, amount: { minor: Number(row.amount_minor), currency: row.currency } } : null,
      story,
      finished: taskFinished(story),
    });
  }
  return [...tasks.values()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
