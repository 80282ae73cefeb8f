import type { Queryable } from '../store/database.ts';

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
