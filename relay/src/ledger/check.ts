import type { Queryable } from '../store/database.ts';

export interface LedgerProblem {
  check: string;
  detail: string;
}

export interface LedgerReport {
  ok: boolean;
  /** The invariants checked, by name. */
  checks: string[];
  journals: number;
  entries: number;
  problems: LedgerProblem[];
}

/**
 * Each check is one query returning the rows that break an invariant; an
 * empty result means the invariant holds. Kept as data so that
 * `relay ledger check` and the tests run exactly the same list.
 */
const CHECKS: { name: string; sql: string; describe: (row: Record<string, unknown>) => string }[] = [
  {
    name: 'journals balance',
    sql: `SELECT journal_id, currency, SUM(amount_minor)::int8 AS total FROM ledger_entries
          GROUP BY journal_id, currency HAVING SUM(amount_minor) <> 0`,
    describe: (r) => `journal ${r.journal_id} sums to ${r.total} ${r.currency}`,
  },
  {
    name: 'each token charged at most once',
    sql: `SELECT token_id, COUNT(DISTINCT journal_id)::int8 AS n FROM ledger_entries
          WHERE kind = 'charge' GROUP BY token_id HAVING COUNT(DISTINCT journal_id) > 1
          UNION ALL
          SELECT token_id, COUNT(*)::int8 FROM charges GROUP BY token_id HAVING COUNT(*) > 1`,
    describe: (r) => `token ${r.token_id} was charged ${r.n} times`,
  },
  {
    name: 'charges match the ledger',
    sql: `SELECT c.id, c.amount_minor, COALESCE(SUM(e.amount_minor), 0)::int8 AS ledger
          FROM charges c LEFT JOIN ledger_entries e
            ON e.charge_id = c.id AND e.kind = 'charge' AND e.account LIKE 'merchant:%'
          GROUP BY c.id, c.amount_minor HAVING COALESCE(SUM(e.amount_minor), 0) <> c.amount_minor`,
    describe: (r) => `charge ${r.id} is ${r.amount_minor} but the ledger paid the merchant ${r.ledger}`,
  },
  {
    name: 'refunds match the ledger and never exceed their charge',
    sql: `SELECT c.id, c.amount_minor, c.refunded_minor,
                 (SELECT COALESCE(SUM(amount_minor), 0) FROM refunds r WHERE r.charge_id = c.id)::int8 AS refunds,
                 (SELECT COALESCE(-SUM(amount_minor), 0) FROM ledger_entries e
                   WHERE e.charge_id = c.id AND e.kind = 'refund' AND e.account LIKE 'merchant:%')::int8 AS ledger
          FROM charges c
          WHERE c.refunded_minor > c.amount_minor
             OR c.refunded_minor <> (SELECT COALESCE(SUM(amount_minor), 0) FROM refunds r WHERE r.charge_id = c.id)
             OR c.refunded_minor <> (SELECT COALESCE(-SUM(amount_minor), 0) FROM ledger_entries e
                                     WHERE e.charge_id = c.id AND e.kind = 'refund' AND e.account LIKE 'merchant:%')`,
    describe: (r) => `charge ${r.id}: refunded ${r.refunded_minor}, refunds ${r.refunds}, ledger ${r.ledger}, charged ${r.amount_minor}`,
  },
  {
    name: 'holds equal the active tokens',
    sql: `WITH held AS (
            SELECT split_part(account, ':', 2) AS wallet_id, currency, SUM(amount_minor)::int8 AS ledger
            FROM ledger_entries WHERE account LIKE 'wallet:%:holds' GROUP BY 1, 2),
          active AS (
            SELECT wallet_id, currency, SUM(max_minor)::int8 AS tokens FROM tokens WHERE status = 'active' GROUP BY 1, 2)
          SELECT COALESCE(h.wallet_id, a.wallet_id) AS wallet_id, COALESCE(h.currency, a.currency) AS currency,
                 COALESCE(h.ledger, 0) AS ledger, COALESCE(a.tokens, 0) AS tokens
          FROM held h FULL JOIN active a ON a.wallet_id = h.wallet_id AND a.currency = h.currency
          WHERE COALESCE(h.ledger, 0) <> COALESCE(a.tokens, 0)`,
    describe: (r) => `wallet ${r.wallet_id} holds ${r.ledger} ${r.currency} but its active tokens total ${r.tokens}`,
  },
  {
    name: 'every used token has exactly one charge',
    sql: `SELECT t.id FROM tokens t LEFT JOIN charges c ON c.token_id = t.id
          WHERE (t.status = 'charged') <> (c.id IS NOT NULL)`,
    describe: (r) => `token ${r.id} is marked charged without a charge, or charged while not marked`,
  },
  {
    name: 'quota spending never exceeds its budget',
    sql: `SELECT actor_id, period_start, spent_minor, budget_minor FROM quota_usage WHERE spent_minor > budget_minor`,
    describe: (r) => `agent ${r.actor_id} spent ${r.spent_minor} of a ${r.budget_minor} budget`,
  },
  {
    name: 'nothing charged or approved after its actor was revoked',
    sql: `SELECT 'charge' AS what, c.id, a.id AS actor_id FROM charges c JOIN intents i ON i.id = c.intent_id JOIN actors a ON a.id = i.actor_id
          WHERE a.revoked_at IS NOT NULL AND c.recorded_at > a.revoked_at
          UNION ALL
          SELECT 'approval', i.id, a.id FROM intents i JOIN actors a ON a.id = i.actor_id
          WHERE a.revoked_at IS NOT NULL AND i.approved_at > a.revoked_at`,
    describe: (r) => `${r.what} ${r.id} was recorded after ${r.actor_id} was revoked`,
  },
  {
    name: 'at most three CVC guesses judged per card',
    sql: `SELECT id, cvc_failures, status FROM tokens WHERE cvc_failures > 3 OR (status = 'charged' AND cvc_failures >= 3)`,
    describe: (r) => `token ${r.id} judged ${r.cvc_failures} wrong CVCs and is ${r.status}`,
  },
  {
    name: 'every quota approval fit the budget of the mandate that approved it',
    sql: `SELECT i.id, i.quota_spent_after, (m.document->'budget'->>'minor')::int8 AS budget FROM intents i JOIN mandates m ON m.id = i.mandate_id
          WHERE i.quota_spent_after IS NOT NULL AND m.kind = 'quota' AND i.quota_spent_after > (m.document->'budget'->>'minor')::int8`,
    describe: (r) => `intent ${r.id} took the quota's spending to ${r.quota_spent_after}, over its ${r.budget} budget`,
  },
  {
    name: 'credit balances are the ledger\'s, never below zero, never reserved beyond',
    sql: `SELECT a.id, a.balance_minor, a.reserved_minor,
                 (SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e
                   WHERE e.account = 'credits:' || a.wallet_id || ':' || a.vendor_id AND e.currency = a.currency)::int8 AS ledger,
                 (SELECT COALESCE(SUM(u.reserved_minor), 0) FROM credit_usage u WHERE u.account_id = a.id AND u.status = 'reserved')::int8 AS open
          FROM credit_accounts a
          WHERE a.balance_minor < 0 OR a.reserved_minor > a.balance_minor
             OR a.balance_minor <> (SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e
                                    WHERE e.account = 'credits:' || a.wallet_id || ':' || a.vendor_id AND e.currency = a.currency)
             OR a.reserved_minor <> (SELECT COALESCE(SUM(u.reserved_minor), 0) FROM credit_usage u WHERE u.account_id = a.id AND u.status = 'reserved')`,
    describe: (r) => `credit account ${r.id}: balance ${r.balance_minor} (ledger ${r.ledger}), reserved ${r.reserved_minor} (open reserves ${r.open})`,
  },
  {
    name: 'a vendor\'s deferred revenue is the credits it owes',
    sql: `WITH owed AS (
            SELECT split_part(account, ':', 3) AS vendor, currency, SUM(amount_minor) AS credits
            FROM ledger_entries WHERE account LIKE 'credits:%' GROUP BY 1, 2),
          deferred AS (
            SELECT split_part(account, ':', 2) AS vendor, currency, SUM(amount_minor) AS deferred
            FROM ledger_entries WHERE account LIKE 'vendor:%:deferred' GROUP BY 1, 2)
          SELECT COALESCE(o.vendor, d.vendor) AS vendor, COALESCE(o.currency, d.currency) AS currency,
                 COALESCE(o.credits, 0)::int8 AS credits, COALESCE(d.deferred, 0)::int8 AS deferred
          FROM owed o FULL JOIN deferred d ON o.vendor = d.vendor AND o.currency = d.currency
          WHERE COALESCE(o.credits, 0) + COALESCE(d.deferred, 0) <> 0`,
    describe: (r) => `vendor ${r.vendor} owes ${r.credits} ${r.currency} of credits but its deferred revenue is ${r.deferred}`,
  },
];

/** Verifies that every journal balances and every token is charged at most once. */
export async function checkLedger(db: Queryable): Promise<LedgerReport> {
  const problems: LedgerProblem[] = [];
  for (const check of CHECKS) {
    for (const row of await db.query(check.sql)) problems.push({ check: check.name, detail: check.describe(row) });
  }
  const [counts] = await db.query<{ journals: number; entries: number }>(
    'SELECT COUNT(DISTINCT journal_id)::int8 AS journals, COUNT(*)::int8 AS entries FROM ledger_entries',
  );
  return { ok: problems.length === 0, checks: CHECKS.map((c) => c.name), journals: counts?.journals ?? 0, entries: counts?.entries ?? 0, problems };
}
