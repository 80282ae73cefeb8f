import { formatMoney, ProtocolError, type Usage, type UsageReserve, type UsageSettle } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import { RefusalWithEffect } from '../idempotency/command.ts';
import { accounts, postJournal } from '../ledger/ledger.ts';
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

/**
 * Sets credits aside for one request. The usage row is written first (its key, the vendor's usage
 * id, makes a retry the same reserve), then one conditional UPDATE takes the amount only if the
 * balance not yet reserved covers it: concurrent reserves on one account queue on its row and each
 * sees what the one before it took, so none overdraws it, on either store.
 */
export async function reserveUsage(ctx: RelayContext, tx: Queryable, vendorId: string, asked: UsageReserve): Promise<Usage> {
  const account = await vendorAccount(tx, vendorId, asked.accountId);
  if (asked.amount.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `credit account ${account.id} is in ${account.currency}, not ${asked.amount.currency}`, 422);
  }
  await lapseExpired(ctx, tx, { accountId: account.id });
  const now = ctx.now();
  const [inserted] = await tx.query<UsageRow>(
    `INSERT INTO credit_usage (vendor_id, usage_id, account_id, reserved_minor, status, model, expires_at, created_at)
     VALUES ($1, $2, $3, $4, 'reserved', $5, $6, $7) ON CONFLICT (vendor_id, usage_id) DO NOTHING RETURNING *`,
    [vendorId, asked.usageId, account.id, asked.amount.minor, asked.model ?? null, new Date(now.getTime() + RESERVE_TTL_SECONDS * 1000), now],
  );
  if (!inserted) {
    const [existing] = await tx.query<UsageRow>('SELECT * FROM credit_usage WHERE vendor_id = $1 AND usage_id = $2', [vendorId, asked.usageId]);
    if (existing!.account_id !== account.id || Number(existing!.reserved_minor) !== asked.amount.minor) {
      throw new ProtocolError('usage_id_reused', `usage ${asked.usageId} was reserved for ${formatMoney({ minor: Number(existing!.reserved_minor), currency: account.currency })} on account ${existing!.account_id}; a new request needs a new usage id`, 409);
    }
    return toUsage(existing!, await vendorAccount(tx, vendorId, account.id));
  }
  const [taken] = await tx.query<CreditAccountRow>(
    `UPDATE credit_accounts SET reserved_minor = reserved_minor + $2 WHERE id = $1 AND balance_minor - reserved_minor >= $2 RETURNING *`,
    [account.id, asked.amount.minor],
  );
  if (!taken) {
    const current = await vendorAccount(tx, vendorId, account.id);
    const available = { minor: Number(current.balance_minor) - Number(current.reserved_minor), currency: current.currency };
    throw new ProtocolError('insufficient_credits', `credit account ${account.id} has ${formatMoney(available)} available, less than the ${formatMoney(asked.amount)} asked`, 402);
  }
  return toUsage(inserted, taken);
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

/** Ends a reserve with what the request cost: the account pays that and gets the rest back. Settling again with the same amount answers the same. */
export async function settleUsage(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], vendorId: string, usageId: string, settle: UsageSettle): Promise<Usage> {
  const row = await lockedUsage(tx, vendorId, usageId);
  const account = await vendorAccount(tx, vendorId, row.account_id);
  const amount = settle.amount ?? (await priceOfUnits(tx, vendorId, settle.model ?? row.model ?? undefined, settle.units!, account.currency));
  const asked = { ...settle, amount };
  if (asked.amount.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `usage ${usageId} is in ${account.currency}, not ${asked.amount.currency}`, 422);
  }
  if (row.status === 'settled') {
    if (Number(row.settled_minor) === asked.amount.minor) return toUsage(row, account);
    throw new ProtocolError('usage_id_reused', `usage ${usageId} was settled at ${formatMoney({ minor: Number(row.settled_minor), currency: account.currency })}, not ${formatMoney(asked.amount)}`, 409);
  }
  if (row.status === 'lapsed') throw new ProtocolError('reserve_lapsed', `the reserve for usage ${usageId} lapsed at ${row.expires_at.toISOString()}`, 409);
  if (row.status === 'released') throw new ProtocolError('usage_ended', `usage ${usageId} was released; nothing is left to settle`, 409);
  if (row.expires_at.getTime() <= ctx.now().getTime()) throw refuseLapsed(ctx, row);
  const reserved = Number(row.reserved_minor);
  if (asked.amount.minor > reserved) {
    throw new ProtocolError('settle_exceeds_reserve', `${formatMoney(asked.amount)} is more than the ${formatMoney({ minor: reserved, currency: account.currency })} reserved for usage ${usageId}`, 422);
  }
  // The account's row lock orders concurrent settles, so exactly one of them sees the balance cross the threshold.
  const [after] = await tx.query<CreditAccountRow & { top_up_threshold: string | null; top_up_actor: string | null; top_up_minor: string | null }>(
    `UPDATE credit_accounts a SET balance_minor = balance_minor - $2, reserved_minor = reserved_minor - $3 FROM (SELECT 1) one
     LEFT JOIN credit_auto_top_ups s ON s.account_id = $1
     WHERE a.id = $1 RETURNING a.*, s.threshold_minor AS top_up_threshold, s.actor_id AS top_up_actor, s.amount_minor AS top_up_minor`,
    [account.id, asked.amount.minor, reserved],
  );
  const threshold = after!.top_up_threshold === null ? null : Number(after!.top_up_threshold);
  const balance = Number(after!.balance_minor);
  if (threshold !== null && balance < threshold && balance + asked.amount.minor >= threshold) {
    const topUpId = await openTopUp(ctx, tx, { accountId: account.id, actorId: after!.top_up_actor!, minor: Number(after!.top_up_minor), automatic: true });
    if (topUpId) {
      outbox.push({
        type: 'credits.low', walletId: account.wallet_id, accountId: account.id, vendorId,
        balance: { minor: balance, currency: account.currency }, threshold: { minor: threshold, currency: account.currency }, topUpId,
      });
    }
  }
  const [settled] = await tx.query<UsageRow>(
    `UPDATE credit_usage SET status = 'settled', settled_minor = $3, units = $4, model = COALESCE($5, model), ended_at = $6
     WHERE vendor_id = $1 AND usage_id = $2 RETURNING *`,
    [vendorId, usageId, asked.amount.minor, asked.units ?? null, asked.model ?? null, ctx.now()],
  );
  await postJournal(tx, {
    id: `usage:${vendorId}:${usageId}`,
    kind: 'usage',
    currency: account.currency,
    transfers: [{ from: accounts.credits(account.wallet_id, vendorId), to: accounts.deferred(vendorId), minor: asked.amount.minor }],
  });
  return toUsage(settled!, after!);
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
