import { type CreditAccount, type CreditPurchase, type Charge, newId, ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { accounts, postJournal } from '../ledger/ledger.ts';
import { chargeToken } from '../merchant/charges.ts';
import type { Queryable } from '../store/database.ts';

export interface CreditAccountRow {
  id: string;
  wallet_id: string;
  vendor_id: string;
  currency: string;
  balance_minor: string | number;
  reserved_minor: string | number;
}

export function toCreditAccount(row: CreditAccountRow): CreditAccount {
  const balance = Number(row.balance_minor);
  const reserved = Number(row.reserved_minor);
  return {
    id: row.id,
    vendorId: row.vendor_id,
    balance: { minor: balance, currency: row.currency },
    reserved: { minor: reserved, currency: row.currency },
    available: { minor: balance - reserved, currency: row.currency },
  };
}

/** The wallet's account at the vendor in that currency, made on first use. */
export async function accountFor(tx: Queryable, walletId: string, vendorId: string, currency: string): Promise<CreditAccountRow> {
  await tx.query(
    `INSERT INTO credit_accounts (id, wallet_id, vendor_id, currency) VALUES ($1, $2, $3, $4) ON CONFLICT (wallet_id, vendor_id, currency) DO NOTHING`,
    [newId('creditAccount'), walletId, vendorId, currency],
  );
  const [row] = await tx.query<CreditAccountRow>('SELECT * FROM credit_accounts WHERE wallet_id = $1 AND vendor_id = $2 AND currency = $3', [walletId, vendorId, currency]);
  return row!;
}

/**
 * A vendor sells credits: it charges the agent's token (a payment the user's mandate decided, as
 * any other), and in the same transaction the amount becomes the wallet's credits at the vendor.
 * Ledger: the charge pays the vendor (holds → received), and a `credit` journal books what the
 * vendor now owes (deferred revenue → the wallet's credits).
 */
export async function buyCredits(
  ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], vendorId: string, purchase: CreditPurchase, topUpId: string | null = null,
): Promise<{ charge: Charge; account: CreditAccount }> {
  const charge = await chargeToken(ctx, tx, outbox, vendorId, { token: purchase.token, amount: purchase.amount, reference: purchase.reference });
  const [{ wallet_id: walletId } = { wallet_id: '' }] = await tx.query<{ wallet_id: string }>('SELECT wallet_id FROM charges WHERE id = $1', [charge.id]);
  const account = await accountFor(tx, walletId, vendorId, charge.amount.currency);
  const [updated] = await tx.query<CreditAccountRow>(
    'UPDATE credit_accounts SET balance_minor = balance_minor + $2 WHERE id = $1 RETURNING *', [account.id, charge.amount.minor],
  );
  await tx.query('INSERT INTO credit_purchases (charge_id, account_id, top_up_id) VALUES ($1, $2, $3)', [charge.id, account.id, topUpId]);
  await postJournal(tx, {
    id: `credit:${charge.id}`,
    kind: 'credit',
    currency: charge.amount.currency,
    intentId: charge.intentId,
    chargeId: charge.id,
    transfers: [{ from: accounts.deferred(vendorId), to: accounts.credits(walletId, vendorId), minor: charge.amount.minor }],
  });
  return { charge, account: toCreditAccount(updated!) };
}

/** One of this vendor's credit accounts; another vendor's, or none, is 404 alike. */
export async function vendorAccount(db: Queryable, vendorId: string, accountId: string, options: { lock?: boolean } = {}): Promise<CreditAccountRow> {
  const [row] = await db.query<CreditAccountRow>(
    `SELECT * FROM credit_accounts WHERE id = $1 AND vendor_id = $2${options.lock ? ' FOR NO KEY UPDATE' : ''}`, [accountId, vendorId],
  );
  if (!row) throw new ProtocolError('not_found', `no credit account ${accountId} at vendor ${vendorId}`, 404);
  return row;
}

/** The vendor's credit accounts, newest first: customers it has not heard of yet included (a relay top-up opens one). */
export async function vendorAccounts(db: Queryable, vendorId: string): Promise<CreditAccount[]> {
  const rows = await db.query<CreditAccountRow>('SELECT * FROM credit_accounts WHERE vendor_id = $1 ORDER BY created_at DESC, id LIMIT 500', [vendorId]);
  return rows.map(toCreditAccount);
}
