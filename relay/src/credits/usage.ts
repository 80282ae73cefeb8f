import { formatMoney, ProtocolError, type Usage, type UsageReserve, type UsageSettle } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import { RefusalWithEffect } from '../idempotency/command.ts';
import { accounts, journalInsert } from '../ledger/ledger.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { Queryable } from '../store/database.ts';
import { type CreditAccountRow, toCreditAccount, vendorAccount } from './accounts.ts';
import { openTopUp } from './top-ups.ts';
import { priceOfUnits } from './vendors.ts';

/** How long a reserve waits for its settle before it lapses back to the balance. */
export const RESERVE_TTL_SECONDS = 10 * 60;

interface UsageRow {
  vendor_id: string;
  usage_id: string;
  account_id: string;
  reserved_minor: string | number;
  settled_minor: string | number | null;
  status: 'reserved' | 'settled' | 'released' | 'lapsed';
  model: string | null;
  units: string | number | null;
  expires_at: Date;
}

function toUsage(row: UsageRow, account: CreditAccountRow): Usage {
  const currency = account.currency;
  return {
    usageId: row.usage_id,
    accountId: row.account_id,
    status: row.status,
    reserved: { minor: Number(row.reserved_minor), currency },
    settled: row.settled_minor === null ? null : { minor: Number(row.settled_minor), currency },
    model: row.model,
    units: row.units === null ? null : Number(row.units),
    expiresAt: row.expires_at.toISOString(),
    account: toCreditAccount(account),
  };
}

/** Account columns beside a usage row's, in the one-statement reserve and settle. */
interface AccountColumns {
  acct_id: string;
  acct_wallet_id: string;
  acct_vendor_id: string;
  acct_currency: string;
  acct_balance_minor: string | number;
  acct_reserved_minor: string | number;
}
const ACCOUNT_COLUMNS = (a: string) =>
  `${a}.id AS acct_id, ${a}.wallet_id AS acct_wallet_id, ${a}.vendor_id AS acct_vendor_id, ${a}.currency AS acct_currency, ${a}.balance_minor AS acct_balance_minor, ${a}.reserved_minor AS acct_reserved_minor`;
const accountOf = (row: AccountColumns): CreditAccountRow => ({
  id: row.acct_id, wallet_id: row.acct_wallet_id, vendor_id: row.acct_vendor_id, currency: row.acct_currency,
  balance_minor: row.acct_balance_minor, reserved_minor: row.acct_reserved_minor,
});

/**
 * Sets credits aside for one request, in one statement when it can: the usage row is inserted
 * (its key, the vendor's usage id, makes a retry the same reserve) and the account's UPDATE takes
 * the amount only where what is not yet reserved covers it. Concurrent reserves on one account
 * queue on its row and each re-reads what the one before it took, so none overdraws it, on
 * either store. Anything else (an unknown account, another currency, a usage id seen before, a
 * balance short until expired reserves lapse) takes the slower path that says which.
 */
export async function reserveUsage(ctx: RelayContext, tx: Queryable, vendorId: string, asked: UsageReserve): Promise<Usage> {
  const now = ctx.now();
  const [taken] = await tx.query<UsageRow & Partial<AccountColumns>>(
    `WITH u AS (
       INSERT INTO credit_usage (vendor_id, usage_id, account_id, reserved_minor, status, model, expires_at, created_at)
       SELECT $1, $2, a.id, $4, 'reserved', $5, $6, $7 FROM credit_accounts a WHERE a.id = $3 AND a.vendor_id = $1 AND a.currency = $8
       ON CONFLICT (vendor_id, usage_id) DO NOTHING RETURNING *),
     t AS (
       UPDATE credit_accounts a SET reserved_minor = a.reserved_minor + u.reserved_minor FROM u
       WHERE a.id = u.account_id AND a.balance_minor - a.reserved_minor >= u.reserved_minor RETURNING a.*)
     SELECT u.*, ${ACCOUNT_COLUMNS('t')} FROM u LEFT JOIN t ON true`,
    [vendorId, asked.usageId, asked.accountId, asked.amount.minor, asked.model ?? null, new Date(now.getTime() + RESERVE_TTL_SECONDS * 1000), now, asked.amount.currency],
  );
  if (taken?.acct_id) return toUsage(taken, accountOf(taken as AccountColumns));

  const account = await vendorAccount(tx, vendorId, asked.accountId);
  if (asked.amount.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `credit account ${account.id} is in ${account.currency}, not ${asked.amount.currency}`, 422);
  }
  if (taken) {
    // Inserted, but the balance fell short: reserves past their time may still hold some of it.
    if ((await lapseExpired(ctx, tx, { accountId: account.id })) > 0) {
      const [after] = await tx.query<CreditAccountRow>(
        'UPDATE credit_accounts SET reserved_minor = reserved_minor + $2 WHERE id = $1 AND balance_minor - reserved_minor >= $2 RETURNING *',
        [account.id, asked.amount.minor],
      );
      if (after) return toUsage(taken, after);
    }
    // The refusal rolls the usage row back with it: a refused reserve leaves nothing.
    const current = await vendorAccount(tx, vendorId, account.id);
    const available = { minor: Number(current.balance_minor) - Number(current.reserved_minor), currency: current.currency };
    throw new ProtocolError('insufficient_credits', `credit account ${account.id} has ${formatMoney(available)} available, less than the ${formatMoney(asked.amount)} asked`, 402);
  }
  const [existing] = await tx.query<UsageRow>('SELECT * FROM credit_usage WHERE vendor_id = $1 AND usage_id = $2', [vendorId, asked.usageId]);
  if (existing!.account_id !== account.id || Number(existing!.reserved_minor) !== asked.amount.minor) {
    throw new ProtocolError('usage_id_reused', `usage ${asked.usageId} was reserved for ${formatMoney({ minor: Number(existing!.reserved_minor), currency: account.currency })} on account ${existing!.account_id}; a new request needs a new usage id`, 409);
  }
  return toUsage(existing!, await vendorAccount(tx, vendorId, account.id));
}

async function lockedUsage(tx: Queryable, vendorId: string, usageId: string): Promise<UsageRow> {
  const [row] = await tx.query<UsageRow>('SELECT * FROM credit_usage WHERE vendor_id = $1 AND usage_id = $2 FOR NO KEY UPDATE', [vendorId, usageId]);
  if (!row) throw new ProtocolError('not_found', `no usage ${usageId} reserved by vendor ${vendorId}`, 404);
  return row;
}

/** A reserve past its time is lapsed, and the refusal commits with the lapse. */
function refuseLapsed(ctx: RelayContext, row: UsageRow): RefusalWithEffect {
  return new RefusalWithEffect(
    new ProtocolError('reserve_lapsed', `the reserve for usage ${row.usage_id} lapsed at ${row.expires_at.toISOString()}; its credits went back to the balance`, 409),
    async (tx) => { await lapseExpired(ctx, tx, { accountId: row.account_id }); },
  );
}

/**
 * Ends a reserve with what the request cost: the account pays that and gets the rest back.
 * Settling again with the same amount answers the same. The usage row is locked and read with its
 * account; then the usage, its journal and the account change in one statement, so the account's
 * row lock (which orders concurrent settles: exactly one sees the balance cross the auto top-up
 * threshold, read from that same row) is held only until the commit that follows it.
 */
export async function settleUsage(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], vendorId: string, usageId: string, settle: UsageSettle): Promise<Usage> {
  const [row] = await tx.query<UsageRow & AccountColumns>(
    `SELECT u.*, ${ACCOUNT_COLUMNS('a')} FROM credit_usage u JOIN credit_accounts a ON a.id = u.account_id
     WHERE u.vendor_id = $1 AND u.usage_id = $2 FOR NO KEY UPDATE OF u`,
    [vendorId, usageId],
  );
  if (!row) throw new ProtocolError('not_found', `no usage ${usageId} reserved by vendor ${vendorId}`, 404);
  const account = accountOf(row);
  const amount = settle.amount ?? (await priceOfUnits(tx, vendorId, settle.model ?? row.model ?? undefined, settle.units!, account.currency));
  if (amount.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `usage ${usageId} is in ${account.currency}, not ${amount.currency}`, 422);
  }
  if (row.status === 'settled') {
    if (Number(row.settled_minor) === amount.minor) return toUsage(row, await vendorAccount(tx, vendorId, account.id));
    throw new ProtocolError('usage_id_reused', `usage ${usageId} was settled at ${formatMoney({ minor: Number(row.settled_minor), currency: account.currency })}, not ${formatMoney(amount)}`, 409);
  }
  if (row.status === 'lapsed') throw new ProtocolError('reserve_lapsed', `the reserve for usage ${usageId} lapsed at ${row.expires_at.toISOString()}`, 409);
  if (row.status === 'released') throw new ProtocolError('usage_ended', `usage ${usageId} was released; nothing is left to settle`, 409);
  if (row.expires_at.getTime() <= ctx.now().getTime()) throw refuseLapsed(ctx, row);
  const reserved = Number(row.reserved_minor);
  if (amount.minor > reserved) {
    throw new ProtocolError('settle_exceeds_reserve', `${formatMoney(amount)} is more than the ${formatMoney({ minor: reserved, currency: account.currency })} reserved for usage ${usageId}`, 422);
  }

  const journal = journalInsert({
    id: `usage:${vendorId}:${usageId}`,
    kind: 'usage',
    currency: account.currency,
    transfers: [{ from: accounts.credits(account.wallet_id, vendorId), to: accounts.deferred(vendorId), minor: amount.minor }],
  }, { onlyIf: 'SELECT 1 FROM s' });
  const base = journal?.params.length ?? 0;
  const $ = (i: number) => `$${base + i}`;
  const [after] = await tx.query<UsageRow & AccountColumns & { top_up_threshold_minor: string | null; top_up_actor_id: string | null; top_up_amount_minor: string | null }>(
    `WITH s AS (
       UPDATE credit_usage SET status = 'settled', settled_minor = ${$(3)}::int8, units = ${$(4)}::int8, model = COALESCE(${$(5)}::text, model), ended_at = ${$(6)}::timestamptz
       WHERE vendor_id = ${$(1)}::text AND usage_id = ${$(2)}::text RETURNING *),
     ${journal ? `j AS (${journal.sql}),` : ''}
     a AS (
       UPDATE credit_accounts SET balance_minor = balance_minor - ${$(3)}::int8, reserved_minor = reserved_minor - ${$(7)}::int8
       WHERE id = ${$(8)}::text AND EXISTS (SELECT 1 FROM s) RETURNING *)
     SELECT s.*, ${ACCOUNT_COLUMNS('a')}, a.top_up_threshold_minor, a.top_up_actor_id, a.top_up_amount_minor FROM s, a`,
    [...(journal?.params ?? []), vendorId, usageId, amount.minor, settle.units ?? null, settle.model ?? null, ctx.now(), reserved, account.id],
  );
  const balance = Number(after!.acct_balance_minor);
  // The setting is read from the account's row as this settle's UPDATE left it: under its lock.
  const threshold = after!.top_up_threshold_minor === null ? null : Number(after!.top_up_threshold_minor);
  if (threshold !== null && balance < threshold && balance + amount.minor >= threshold) {
    const topUpId = await openTopUp(ctx, tx, { accountId: account.id, actorId: after!.top_up_actor_id!, minor: Number(after!.top_up_amount_minor), automatic: true });
    if (topUpId) {
      outbox.push({
        type: 'credits.low', walletId: account.wallet_id, accountId: account.id, vendorId,
        balance: { minor: balance, currency: account.currency }, threshold: { minor: threshold, currency: account.currency }, topUpId,
      });
    }
  }
  return toUsage(after!, accountOf(after!));
}

/** Ends a reserve unused: all of it goes back. Releasing again answers the same. */
export async function releaseUsage(ctx: RelayContext, tx: Queryable, vendorId: string, usageId: string): Promise<Usage> {
  const row = await lockedUsage(tx, vendorId, usageId);
  if (row.status === 'released') return toUsage(row, await vendorAccount(tx, vendorId, row.account_id));
  if (row.status !== 'reserved') throw new ProtocolError('usage_ended', `usage ${usageId} is ${row.status}; only a reserve can be released`, 409);
  const [after] = await tx.query<CreditAccountRow>(
    'UPDATE credit_accounts SET reserved_minor = reserved_minor - $2 WHERE id = $1 RETURNING *', [row.account_id, Number(row.reserved_minor)],
  );
  const [released] = await tx.query<UsageRow>(
    `UPDATE credit_usage SET status = 'released', ended_at = $3 WHERE vendor_id = $1 AND usage_id = $2 RETURNING *`, [vendorId, usageId, ctx.now()],
  );
  return toUsage(released!, after!);
}

/** Reserves past their time go back to their balances (the sweeper's, and before a reserve on the same account). */
export async function lapseExpired(ctx: RelayContext, tx: Queryable, where: { accountId?: string } = {}): Promise<number> {
  const lapsed = await tx.query<{ account_id: string; reserved_minor: string | number }>(
    `UPDATE credit_usage SET status = 'lapsed', ended_at = $1
     WHERE status = 'reserved' AND expires_at <= $1 AND ($2::text IS NULL OR account_id = $2)
     RETURNING account_id, reserved_minor`,
    [ctx.now(), where.accountId ?? null],
  );
  for (const row of lapsed) {
    await tx.query('UPDATE credit_accounts SET reserved_minor = reserved_minor - $2 WHERE id = $1', [row.account_id, Number(row.reserved_minor)]);
  }
  return lapsed.length;
}
