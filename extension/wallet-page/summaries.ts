import { formatMoney, type Mandate, type MandateDocument, type Money, type Refund, type Rule } from '@agentpay/protocol';
import { keyLabel } from './bars.ts';

const cats = (list: readonly string[]) => list.map((c) => keyLabel(c, 'category')).join(', ');

function ruleText(rule: Rule): string {
  const parts = [`up to ${formatMoney({ minor: rule.maxPerPaymentMinor, currency: rule.currency })} per payment`];
  if (rule.categories?.allow) parts.push(`for ${cats(rule.categories.allow)}`);
  if (rule.merchants?.allow) parts.push(`at ${rule.merchants.allow.join(', ')}`);
  if (rule.timeWindow) parts.push(`${rule.timeWindow.start}–${rule.timeWindow.end}`);
  if (rule.whileDriving) parts.push('only while driving');
  return `${rule.description ? `${rule.description}: ` : ''}${parts.join(' ')}`;
}

function blockText(doc: MandateDocument): string {
  const blocked = [...doc.block.merchants, ...doc.block.categories.map((c) => keyLabel(c, 'category'))];
  return blocked.length ? ` Always declined: ${blocked.join(', ')}.` : '';
}

/** What the agent may do, in a sentence the user can check at a glance. */
export function summarizeMandate(mandate: Pick<Mandate, 'document' | 'spent'> | null): string {
  if (!mandate) return 'No mandate: you confirm every payment.';
  const doc = mandate.document;
  if (doc.kind === 'confirm_each') return `You confirm every payment.${blockText(doc)}`;
  if (doc.kind === 'rules') {
    const n = doc.rules.length;
    return `${n} rule${n === 1 ? '' : 's'}: ${doc.rules.map(ruleText).join('; ')}. Anything else waits for you.${blockText(doc)}`;
  }
  const parts = [`Budget ${formatMoney(doc.budget)} per ${doc.period} (${doc.timeZone})`];
  if (mandate.spent) parts.push(`${formatMoney(mandate.spent)} spent this ${doc.period}`);
  if (doc.maxPerPaymentMinor !== undefined) parts.push(`up to ${formatMoney({ minor: doc.maxPerPaymentMinor, currency: doc.budget.currency })} per payment`);
  if (doc.categories) parts.push(`only ${cats(doc.categories)}`);
  if (doc.merchants) parts.push(`merchants ${doc.merchants.join(', ')}`);
  return `${parts.join(', ')}. Beyond it, payments wait for you.${blockText(doc)}`;
}

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
