import { formatMoney, type Money, type Refund } from '@agentpay/protocol';

export interface RecordLike {
  status: string;
  amount: Money;
  tokenStatus: string | null;
  charge: { amount: Money; refundedMinor: number } | null;
}

/** A record's state in words, and whether `POST …/reverse` can still do something for it. */
export function recordState(r: RecordLike): { label: string; reversible: boolean } {
  if (r.charge) {
    const refunded = Number(r.charge.refundedMinor);
    const charged = Number(r.charge.amount.minor);
    if (refunded <= 0) return { label: 'charged', reversible: true };
    if (refunded < charged) return { label: `charged, ${formatMoney({ minor: refunded, currency: r.charge.amount.currency })} refunded`, reversible: true };
    return { label: 'refunded', reversible: false };
  }
  if (r.status === 'approved') {
    if (r.tokenStatus === 'active') return { label: 'approved, not charged yet', reversible: true };
    if (r.tokenStatus === 'revoked') return { label: 'reversed before charging', reversible: false };
    if (r.tokenStatus === 'expired') return { label: 'approved, expired unused', reversible: false };
    return { label: 'approved', reversible: false };
  }
  const words: Record<string, string> = {
    pending_confirmation: 'waiting for your confirmation', declined: 'declined', denied: 'denied', expired: 'expired',
  };
  return { label: words[r.status] ?? r.status, reversible: r.status === 'pending_confirmation' };
}

export type Reversal = { reversed: 'refunded'; refund: Pick<Refund, 'amount'> } | { reversed: 'token_revoked' } | { reversed: 'denied' };

/** The relay's answer to a reversal, for the user. */
export function reversalText(result: Reversal): string {
  if (result.reversed === 'refunded') return `Refunded ${formatMoney(result.refund.amount)}.`;
  if (result.reversed === 'token_revoked') return 'Cancelled before the merchant charged it.';
  return 'Denied; the agent will not be paid.';
}
