import type { MandateDocument } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';
import { periodStart } from './clock.ts';

/**
 * Debits `minor` from the actor's budget for the period, or does nothing if
 * that would overspend. One statement: on PostgreSQL the row lock makes
 * concurrent debits queue and each re-checks the budget it finally sees; on
 * PGlite transactions are serial anyway. Returns the new spent total, or
 * null when the budget does not fit.
 */
export async function debitQuota(
  tx: Queryable,
  input: { actorId: string; periodStart: Date; currency: string; budgetMinor: number; minor: number },
): Promise<number | null> {
  if (input.minor > input.budgetMinor) return null;
  const [row] = await tx.query<{ spent_minor: number }>(
    `INSERT INTO quota_usage AS q (actor_id, period_start, currency, budget_minor, spent_minor)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (actor_id, period_start, currency) DO UPDATE
       SET spent_minor = q.spent_minor + EXCLUDED.spent_minor, budget_minor = EXCLUDED.budget_minor
       WHERE q.spent_minor + EXCLUDED.spent_minor <= EXCLUDED.budget_minor
     RETURNING spent_minor`,
    [input.actorId, input.periodStart, input.currency, input.budgetMinor, input.minor],
  );
  return row ? row.spent_minor : null;
}

/** Gives budget back when a quota payment is refunded or its token lapses unused. */
export async function creditQuota(
  tx: Queryable,
  input: { actorId: string; periodStart: Date; currency: string; minor: number },
): Promise<void> {
  await tx.query(
    `UPDATE quota_usage SET spent_minor = GREATEST(spent_minor - $4, 0)
     WHERE actor_id = $1 AND period_start = $2 AND currency = $3`,
    [input.actorId, input.periodStart, input.currency, input.minor],
  );
}

/** What the actor has spent in the period. */
export async function quotaSpent(db: Queryable, actorId: string, periodStart: Date, currency: string): Promise<number> {
  const [row] = await db.query<{ spent_minor: number }>(
    'SELECT spent_minor FROM quota_usage WHERE actor_id = $1 AND period_start = $2 AND currency = $3',
    [actorId, periodStart, currency],
  );
  return row?.spent_minor ?? 0;
}

/**
 * An edit that keeps a quota's period and currency keeps what was spent in it. Spending is kept per
 * period start, and another time zone moves the start of "this month": the current period's spending
 * (and the intents that count in it, so refunds and lapsed tokens credit the right row) moves to the
 * new start, added to anything already there. The actor's row is locked by the caller.
 */
export async function carryQuotaSpending(tx: Queryable, actorId: string, before: MandateDocument, after: MandateDocument, now: Date): Promise<void> {
  if (before.kind !== 'quota' || after.kind !== 'quota') return;
  if (before.period !== after.period || before.budget.currency !== after.budget.currency) return;
  const from = periodStart(now, before.period, before.timeZone);
  const to = periodStart(now, after.period, after.timeZone);
  if (from.getTime() === to.getTime()) return;
  const currency = after.budget.currency;
  await tx.query('UPDATE intents SET quota_period_start = $3 WHERE actor_id = $1 AND quota_period_start = $2 AND currency = $4', [actorId, from, to, currency]);
  await tx.query(
    `INSERT INTO quota_usage AS q (actor_id, period_start, currency, budget_minor, spent_minor)
       SELECT actor_id, $3, currency, budget_minor, spent_minor FROM quota_usage WHERE actor_id = $1 AND period_start = $2 AND currency = $4
     ON CONFLICT (actor_id, period_start, currency) DO UPDATE
       SET spent_minor = q.spent_minor + EXCLUDED.spent_minor,
           budget_minor = GREATEST(q.budget_minor, EXCLUDED.budget_minor, q.spent_minor + EXCLUDED.spent_minor)`,
    [actorId, from, to, currency],
  );
  await tx.query('DELETE FROM quota_usage WHERE actor_id = $1 AND period_start = $2 AND currency = $3', [actorId, from, currency]);
}
