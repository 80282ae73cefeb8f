import { formatMoney, Money, TopUp } from '@agentpay/protocol';
import * as z from 'zod';
import type { SseEvent } from '../sse.ts';

/** `credits.low` on the wallet's event stream: a settle took a balance below the user's threshold. */
const CreditsLow = z.object({ accountId: z.string(), vendorId: z.string(), balance: Money, threshold: Money, topUpId: z.string() });
/** `credits.top_up`: a top-up moved (held, paid, failed). */
const CreditsTopUp = z.object({ topUp: TopUp });

/** What the page tells of one automatic top-up, from the balance falling low to how the purchase ended. */
export interface CreditNotice {
  topUpId: string;
  vendorId: string;
  low?: { balance: Money; threshold: Money };
  topUp?: TopUp;
}

const parse = <T>(schema: z.ZodType<T>, data: string): T | null => {
  try {
    const parsed = schema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/** The notices after `event` (newest first): one per automatic top-up, brought up to date as its events arrive. */
export function applyCreditEvent(notices: readonly CreditNotice[], event: SseEvent): readonly CreditNotice[] {
  let change: CreditNotice | null = null;
  if (event.event === 'credits.low') {
    const low = parse(CreditsLow, event.data);
    if (low) change = { topUpId: low.topUpId, vendorId: low.vendorId, low: { balance: low.balance, threshold: low.threshold } };
  } else if (event.event === 'credits.top_up') {
    const topUp = parse(CreditsTopUp, event.data)?.topUp;
    // An agent that asked is told by its own answer; automatic top-ups are the user's to hear of.
    if (topUp?.automatic) change = { topUpId: topUp.id, vendorId: topUp.vendorId, topUp };
  }
  if (!change) return notices;
  const next = change;
  const before = notices.find((n) => n.topUpId === next.topUpId);
  return [{ ...before, ...next, ...(before?.low && !next.low ? { low: before.low } : {}) }, ...notices.filter((n) => n.topUpId !== next.topUpId)];
}

/** How the notice reads: a failure is an alert, anything else news. */
export const noticeIsAlert = (notice: CreditNotice) => notice.topUp?.status === 'failed';

/** The notice in words, e.g. "Your credits at Tea AI fell to 4.00 CNY, below the 5.00 CNY you set: Shopping agent bought 10.00 CNY more." */
export function noticeText(notice: CreditNotice, vendorName: string): string {
  const low = notice.low
    ? `Your credits at ${vendorName} fell to ${formatMoney(notice.low.balance)}, below the ${formatMoney(notice.low.threshold)} you set`
    : `Your credits at ${vendorName} fell below the threshold you set`;
  const t = notice.topUp;
  if (!t || t.status === 'pending') return `${low}: an automatic top-up has started.`;
  if (t.status === 'held') return `${low}: the automatic top-up of ${formatMoney(t.amount)} by ${t.agent.name} is waiting for your approval in the AgentPay window.`;
  if (t.status === 'paid') return `${low}: ${t.agent.name} bought ${formatMoney(t.amount)} more automatically.`;
  return `${low}, and the automatic top-up of ${formatMoney(t.amount)} by ${t.agent.name} failed: ${t.reason ?? 'no reason was given'}.`;
}
