import { type CreditRefund, type CreditRefundRequest, formatMoney, ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { refundCharge } from '../merchant/charges.ts';
import type { Queryable } from '../store/database.ts';
import { toCreditAccount, vendorAccount } from './accounts.ts';

/**
 * The vendor gives credits back (all that is neither spent nor reserved, unless it names less).
 * The money goes back through the charges that bought them, newest first, each an ordinary refund
 * the wallet sees on that purchase. The account's row is locked first, so a reserve racing the
 * refund either comes before it (and is not refunded) or finds the credits gone.
 */
export async function refundCredits(
  ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], vendorId: string, accountId: string, asked: CreditRefundRequest,
): Promise<CreditRefund> {
  const account = await vendorAccount(tx, vendorId, accountId, { lock: true });
  const currency = account.currency;
  if (asked.amount && asked.amount.currency !== currency) {
    throw new ProtocolError('currency_mismatch', `credit account ${accountId} is in ${currency}, not ${asked.amount.currency}`, 422);
  }
  const available = Number(account.balance_minor) - Number(account.reserved_minor);
  const minor = asked.amount?.minor ?? available;
  if (minor <= 0) throw new ProtocolError('nothing_to_refund', `credit account ${accountId} has no credits that are neither spent nor reserved`, 409);
  if (minor > available) {
    throw new ProtocolError('credits_spent', `credit account ${accountId} has ${formatMoney({ minor: available, currency })} neither spent nor reserved, less than the ${formatMoney({ minor, currency })} asked`, 409);
  }
  const purchases = await tx.query<{ id: string; left: string }>(
    `SELECT c.id, (c.amount_minor - c.refunded_minor)::int8 AS left FROM credit_purchases p JOIN charges c ON c.id = p.charge_id
     WHERE p.account_id = $1 AND c.refunded_minor < c.amount_minor ORDER BY c.created_at DESC, c.id DESC`,
    [accountId],
  );
  const refunds: CreditRefund['refunds'] = [];
  let owed = minor;
  for (const purchase of purchases) {
    if (owed === 0) break;
    const part = Math.min(owed, Number(purchase.left));
    const refund = await refundCharge(ctx, tx, outbox, {
      chargeId: purchase.id, merchantId: vendorId, minor: part, currency, reason: asked.reason ?? 'credits refunded', initiatedBy: 'merchant',
    });
    refunds.push({ chargeId: purchase.id, refundId: refund.id, amount: refund.amount });
    owed -= part;
  }
  // Credits only ever come from these purchases and leave by usage or refund, so what is unrefunded covers them.
  if (owed !== 0) throw new Error(`credit account ${accountId}: ${owed} minor units of credits have no purchase left to refund`);
  return { amount: { minor, currency }, refunds, account: toCreditAccount(await vendorAccount(tx, vendorId, accountId)) };
}
