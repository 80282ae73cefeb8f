import type { Queryable } from '../store/database.ts';

export type JournalKind = 'hold' | 'charge' | 'release' | 'refund' | 'credit' | 'usage' | 'credit_refund';

/** Ledger accounts, named for what they hold. */
export const accounts = {
  /** The user's funding source: it goes negative by what the user has committed to pay. */
  funding: (walletId: string) => `wallet:${walletId}:funding`,
  /** Money reserved for active tokens. */
  holds: (walletId: string) => `wallet:${walletId}:holds`,
  /** What the merchant has received. */
  merchant: (merchantId: string) => `merchant:${merchantId}:received`,
  /** A wallet's prepaid credits at a vendor (Token Pay): what it may still spend there. */
  credits: (walletId: string, vendorId: string) => `credits:${walletId}:${vendorId}`,
  /** A vendor's deferred revenue: service it was paid for and still owes (minus what credits hold). */
  deferred: (vendorId: string) => `vendor:${vendorId}:deferred`,
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

/**
 * The INSERT of a journal, for callers that fold it into a larger statement; null when it moves nothing.
 * With `onlyIf` (a query) the entries are written only when that query finds a row, e.g. only when
 * the token they hold for was really inserted.
 */
export function journalInsert(journal: Journal, options: { onlyIf?: string } = {}): { sql: string; params: unknown[] } | null {
  const transfers = journal.transfers.filter((t) => t.minor > 0);
  if (transfers.length === 0) return null;
  const values: string[] = [];
  const params: unknown[] = [journal.id, journal.kind, journal.currency, journal.intentId ?? null, journal.tokenId ?? null, journal.chargeId ?? null];
  // Inside a SELECT the parameters have no column to take their type from, so they are cast.
  const [text, int8] = options.onlyIf ? ['::text', '::int8'] : ['', ''];
  const fixed = `$3${text}, $4${text}, $5${text}, $6${text}`;
  for (const t of transfers) {
    params.push(t.from, -t.minor, t.to, t.minor);
    const n = params.length;
    values.push(
      `($1${text}, $2${text}, $${n - 3}${text}, $${n - 2}${int8}, ${fixed})`,
      `($1${text}, $2${text}, $${n - 1}${text}, $${n}${int8}, ${fixed})`,
    );
  }
  const columns = '(journal_id, kind, account, amount_minor, currency, intent_id, token_id, charge_id)';
  return {
    sql: options.onlyIf
      ? `INSERT INTO ledger_entries ${columns}
     SELECT * FROM (VALUES ${values.join(', ')}) AS entries WHERE EXISTS (${options.onlyIf})`
      : `INSERT INTO ledger_entries ${columns}
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
