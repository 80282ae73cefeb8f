import { formatMoney, type Intent } from '@agentpay/protocol';
import type { ToolAnswer, ToolContext } from '../tools/tool.ts';
import type { Delivery } from './deliver.ts';

/** What the agent may know of one of its payments: never its token. */
export function aboutPayment(intent: Intent) {
  const { id, status, merchantId, amount, confirmBy, decision } = intent;
  return { paymentId: id, status, merchantId, amount, waitsForUserUntil: status === 'pending_confirmation' ? confirmBy : null, reasons: decision.reasons.map((r) => r.message) };
}

export const STATUS_WORDS: Record<string, string> = {
  approved: 'approved',
  pending_confirmation: 'waiting for your user',
  declined: 'declined',
  denied: 'refused by your user (or cancelled)',
  expired: 'expired: your user did not answer in time; nothing was paid',
};

/** The payment as the agent may know it; an approved one is handed to its merchant first. */
export async function settle({ relay, deliveries, seen }: ToolContext, intent: Intent): Promise<ToolAnswer> {
  await seen(intent);
  const about = aboutPayment(intent);
  if (intent.status !== 'approved' || !deliveries.knows(intent.id)) {
    return { text: `${formatMoney(intent.amount)}: ${STATUS_WORDS[intent.status] ?? intent.status}${about.reasons.length ? ` (${about.reasons.join('; ')})` : ''}`, data: about };
  }
  const delivery: Delivery = await deliveries.deliver(relay, intent.id);
  if (delivery.delivered) return { text: `Paid ${formatMoney(intent.amount)} to ${intent.merchantId}.`, data: { ...about, status: 'paid' } };
  return {
    text: `Approved, but the merchant has not confirmed taking it: ${delivery.why}. It can be charged once at most; ask again with get_payment.`,
    data: { ...about, status: 'approved_not_delivered', why: delivery.why },
  };
}
