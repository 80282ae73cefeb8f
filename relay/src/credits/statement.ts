import type { UsageStatement, UsageStatementQuery } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

/** A vendor's settled usage in [from, to): requests, units and amounts by model. */
export async function usageStatement(db: Queryable, vendorId: string, query: UsageStatementQuery): Promise<UsageStatement> {
  const rows = await db.query<{ model: string | null; currency: string; requests: string; units: string; minor: string }>(
    `SELECT u.model, a.currency, COUNT(*)::int8 AS requests, COALESCE(SUM(u.units), 0)::int8 AS units, SUM(u.settled_minor)::int8 AS minor
     FROM credit_usage u JOIN credit_accounts a ON a.id = u.account_id
     WHERE u.vendor_id = $1 AND u.status = 'settled' AND u.ended_at >= $2 AND u.ended_at < $3
     GROUP BY u.model, a.currency ORDER BY u.model NULLS LAST, a.currency`,
    [vendorId, query.from, query.to],
  );
  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    lines: rows.map((r) => ({ model: r.model, requests: Number(r.requests), units: Number(r.units), amount: { minor: Number(r.minor), currency: r.currency } })),
  };
}
