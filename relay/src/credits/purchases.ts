import { formatMoney, ProtocolError } from '@agentpay/protocol';
import { accounts, postJournal } from '../ledger/ledger.ts';
import type { Queryable } from '../store/database.ts';

/**
 * A refund of a charge that bought credits gives the money back only if the credits go back too:
 * they leave the account first, and only from what is neither spent nor reserved (else
 * `credits_spent`, and nothing is refunded). Called for every refund, whoever started it; a charge
 * that bought no credits is left alone.
 */
export async function takeBackCredits(tx: Queryable, input: { chargeId: string; refundId: string; minor: number; currency: string }): Promise<void> {
  const [bought] = await tx.query<{ account_id: string; wallet_id: string; vendor_id: string }>(
    `SELECT p.account_id, a.wallet_id, a.vendor_id FROM credit_purchases p JOIN credit_accounts a ON a.id = p.account_id WHERE p.charge_id = $1`,
    [input.chargeId],
  );
  if (!bought) return;
  const taken = await tx.query(
    'UPDATE credit_accounts SET balance_minor = balance_minor - $2 WHERE id = $1 AND balance_minor - reserved_minor >= $2 RETURNING 1',
    [bought.account_id, input.minor],
  );
  if (taken.length === 0) {
    const [left] = await tx.query<{ minor: string }>('SELECT (balance_minor - reserved_minor)::int8 AS minor FROM credit_accounts WHERE id = $1', [bought.account_id]);
    throw new ProtocolError('credits_spent', `charge ${input.chargeId} bought credits, and only ${formatMoney({ minor: Number(left!.minor), currency: input.currency })} of them are neither spent nor reserved: refund at most that`, 409);
  }
  await postJournal(tx, {
    id: `credit_refund:${input.refundId}`,
    kind: 'credit_refund',
    currency: input.currency,
    chargeId: input.chargeId,
    transfers: [{ from: accounts.credits(bought.wallet_id, bought.vendor_id), to: accounts.deferred(bought.vendor_id), minor: input.minor }],
  });
}
