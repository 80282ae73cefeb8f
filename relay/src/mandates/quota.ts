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
 * Setting a quota mandate, whatever came before it (another quota, another time zone, period or
 * currency, or confirm-each in between), never resets what was spent in its current period. Spending
 * is derived from the intents a quota approved, so it is counted again from them: every such intent
 * made since the new period's start is moved into it, and each period's row is set to what its
 * intents still hold (an active token its amount, a charge what was charged less refunds, a lapsed
 * or revoked token nothing). The rows are locked first and updated in place, so a credit racing this
 * (a charge or a refund) is either counted or lands on the recounted row; only one for an intent this
 * moves to another period, read just before the move, can land on the old row and leave the new one
 * counting more than was spent (never less). The actor's row is locked by the caller.
 */
export async function recountQuotaSpending(
  tx: Queryable,
  actorId: string,
  quota: MandateDocument,
  now: Date,
  /** The quota the actor had last, if any: its current period counts too when only the time zone moved. */
  previous?: MandateDocument,
): Promise<void> {
  if (quota.kind !== 'quota') return;
  const start = periodStart(now, quota.period, quota.timeZone);
  const currency = quota.budget.currency;
  // A zone whose period starts later would leave what was spent between the two starts in the old period:
  // with the same period and currency, everything since the earlier of the two starts counts now.
  let since = start;
  if (previous?.kind === 'quota' && previous.period === quota.period && previous.budget.currency === currency) {
    const before = periodStart(now, previous.period, previous.timeZone);
    if (before < since) since = before;
  }
  // Credits (charges below the maximum, refunds, lapsed tokens) update these rows without the actor's lock:
  // waiting here for the ones in flight lets the count below, a statement of its own, include them.
  await tx.query('SELECT 1 FROM quota_usage WHERE actor_id = $1 AND currency = $2 FOR NO KEY UPDATE', [actorId, currency]);
  await tx.query(
    `UPDATE intents SET quota_period_start = $3
     WHERE actor_id = $1 AND currency = $2 AND quota_period_start IS NOT NULL AND quota_period_start <> $3 AND created_at >= $4`,
    [actorId, currency, start, since],
  );
  await tx.query(
    `WITH counted AS (
       SELECT i.quota_period_start AS period_start,
              SUM(CASE t.status WHEN 'active' THEN i.amount_minor WHEN 'charged' THEN c.amount_minor - c.refunded_minor ELSE 0 END)::int8 AS spent
       FROM intents i JOIN tokens t ON t.intent_id = i.id LEFT JOIN charges c ON c.token_id = t.id
       WHERE i.actor_id = $1 AND i.currency = $2 AND i.quota_period_start IS NOT NULL
       GROUP BY 1
       UNION ALL SELECT $3::timestamptz, 0),
     periods AS (SELECT period_start, SUM(spent)::int8 AS spent FROM counted GROUP BY 1)
     INSERT INTO quota_usage AS q (actor_id, period_start, currency, budget_minor, spent_minor)
       SELECT $1, period_start, $2, GREATEST($4::int8, spent), spent FROM periods
     ON CONFLICT (actor_id, period_start, currency) DO UPDATE
       SET spent_minor = EXCLUDED.spent_minor, budget_minor = GREATEST(q.budget_minor, EXCLUDED.spent_minor)`,
    [actorId, currency, start, quota.budget.minor],
  );
  await tx.query(
    `UPDATE quota_usage q SET spent_minor = 0 WHERE actor_id = $1 AND currency = $2 AND spent_minor > 0
       AND NOT EXISTS (SELECT 1 FROM intents i WHERE i.actor_id = q.actor_id AND i.currency = q.currency AND i.quota_period_start = q.period_start)`,
    [actorId, currency],
  );
}
