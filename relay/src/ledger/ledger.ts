import type { Queryable } from '../store/database.ts';

export type JournalKind = 'hold' | 'charge' | 'release' | 'refund';

/** Ledger accounts, named for what they hold. */
export const accounts = {
  /** The user's funding source: it goes negative by what the user has committed to pay. */
  funding: (walletId: string) => `wallet:${walletId}:funding`,
  /** Money reserved for active tokens. */
  holds: (walletId: string) => `wallet:${walletId}:holds`,
  /** What the merchant has received. */
  merchant: (merchantId: string) => `merchant:${merchantId}:received`,
};

export interface Transfer {
  from: string;
  to: string;
  minor: number;
}

/**
 * Posts one balanced journal: each transfer writes a credit and a debit of
 * the same amount, so the journal sums to zero by construction.
 */
export async function postJournal(tx: Queryable, journal: Journal): Promise<void> {
  const statement = journalInsert(journal);
  if (statement) await tx.query(statement.sql, statement.params);
}

export interface Journal {
  id: string;
  kind: JournalKind;
  currency: string;
  transfers: Transfer[];
  intentId?: string;
  tokenId?: string;
  chargeId?: string;
}

/** The INSERT of a journal, for callers that fold it into a larger statement; null when it moves nothing. */
export function journalInsert(journal: Journal): { sql: string; params: unknown[] } | null {
  const transfers = journal.transfers.filter((t) => t.minor > 0);
  if (transfers.length === 0) return null;
  const values: string[] = [];
  const params: unknown[] = [journal.id, journal.kind, journal.currency, journal.intentId ?? null, journal.tokenId ?? null, journal.chargeId ?? null];
  for (const t of transfers) {
    params.push(t.from, -t.minor, t.to, t.minor);
    const n = params.length;
    values.push(`($1, $2, $${n - 3}, $${n - 2}, $3, $4, $5, $6)`, `($1, $2, $${n - 1}, $${n}, $3, $4, $5, $6)`);
  }
  return {
    sql: `INSERT INTO ledger_entries (journal_id, kind, account, amount_minor, currency, intent_id, token_id, charge_id)
     VALUES ${values.join(', ')}`,
    params,
  };
}

/** An account's balance, derived from its entries (never stored). */
export async function balance(db: Queryable, account: string, currency: string): Promise<number> {
  const [row] = await db.query<{ balance: number }>(
    'SELECT COALESCE(SUM(amount_minor), 0)::int8 AS balance FROM ledger_entries WHERE account = $1 AND currency = $2',
    [account, currency],
  );
  return row?.balance ?? 0;
}
