import { formatMoney, type Money, type Refund, type WalletRecord } from '@agentpay/protocol';

/**
 * What the user can still do to a payment: refund what was charged and not
 * yet refunded, or cancel an approval the shop has not charged. Nothing for
 * anything else: a refund is never offered where nothing was charged.
 */
export type PaymentAction = { kind: 'refund'; amount: Money } | { kind: 'cancel' } | null;

export function paymentAction(record: Pick<WalletRecord, 'charge' | 'story'>): PaymentAction {
  const charge = record.charge;
  if (charge && charge.amount.minor > charge.refundedMinor) {
    return { kind: 'refund', amount: { minor: charge.amount.minor - charge.refundedMinor, currency: charge.amount.currency } };
  }
  if (!charge && record.story.state === 'approved') return { kind: 'cancel' };
  return null;
}

/** The question asked before a refund, naming the amount and the shop. */
export const refundQuestion = (amount: Money, merchant: string) => `Refund ${formatMoney(amount)} from ${merchant}?`;

/** The relay's answer to `POST /v1/wallet/records/{id}/reverse`. */
export type Reversal = { reversed: 'refunded'; refund: Pick<Refund, 'amount'> } | { reversed: 'token_revoked' } | { reversed: 'denied' };

/** The relay's answer to a reversal, as one plain sentence. */
export function reversalText(result: Reversal, merchant: string): string {
  if (result.reversed === 'refunded') return `Refunded ${formatMoney(result.refund.amount)} from ${merchant}.`;
  if (result.reversed === 'token_revoked') return `Cancelled before ${merchant} charged it; nothing was paid.`;
  return 'Rejected; nothing was paid.';
}
