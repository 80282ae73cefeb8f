import type { Decision, IntentStatus, PaymentStory } from '@agentpay/protocol';
import { formatMoney } from '@agentpay/protocol';

/** Everything the relay knows about one payment that bears on where it stands. */
export interface PaymentFacts {
  status: IntentStatus;
  decision: Pick<Decision, 'reasons' | 'risk'>;
  amount: { minor: number; currency: string };
  merchantName: string;
  createdAt: Date;
  /** Until when a held intent waits for the user. */
  confirmBy: Date | null;
  answeredAt: Date | null;
  approvedAt: Date | null;
  /** Why it ended before money moved, when it was not the user's answer or the clock (tab closed, reversed, agent revoked). */
  endedReason: string | null;
  token: { status: 'active' | 'charged' | 'expired' | 'revoked'; expiresAt: Date; usedAt: Date | null } | null;
  charge: { minor: number; refundedMinor: number; at: Date; lastRefundAt: Date | null } | null;
  /** The task's last reported failure, when it came after the payment was approved. */
  failure: { message: string | null; at: Date } | null;
}

const iso = (d: Date) => d.toISOString();
/** How long the user had, in the unit a person would say it: "40 seconds", "5 minutes". */
const minutes = (ms: number) => {
  const [n, unit] = ms < 90_000 ? [Math.max(1, Math.round(ms / 1000)), 'second'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
};
/** A reason sentence from the relay's own words, without a doubled full stop. */
const clause = (text: string) => text.trim().replace(/[.;]+$/, '');
const story = (state: PaymentStory['state'], reason: string | null, at: Date, extra: Partial<PaymentStory> = {}): PaymentStory => ({
  state, reason, moneyMoved: false, answerBy: null, at: iso(at), ...extra,
});

/**
 * Where one payment stands, decided in one place from the intent, its token,
 * its charge and refunds, and the task's last failure, against the relay's
 * clock `now`. Every view (tasks, records, popup, badge, window) reads this,
 * so none can contradict another. Pure: the tests drive it with plain facts.
 */
export function paymentStory(f: PaymentFacts, now: Date): PaymentStory {
  const money = (minor: number) => formatMoney({ minor, currency: f.amount.currency });
  if (f.charge) {
    const { minor, refundedMinor } = f.charge;
    if (refundedMinor > 0) {
      const major = money(refundedMinor).replace(` ${f.amount.currency}`, '');
      const left = minor - refundedMinor;
      return story('refunded', `Refunded ${major} of ${money(minor)}${left > 0 ? `; ${money(left)} stays paid to ${f.merchantName}` : '; nothing stays paid'}.`,
        f.charge.lastRefundAt ?? f.charge.at, { moneyMoved: left > 0 });
    }
    return story('paid', `Paid ${money(minor)} to ${f.merchantName}.`, f.charge.at, { moneyMoved: true });
  }
  const nothing = 'nothing was paid';
  switch (f.status) {
    case 'pending_confirmation':
    case 'expired': {
      const by = f.confirmBy ?? f.createdAt;
      if (f.status === 'expired' || by.getTime() <= now.getTime()) {
        return story('expired', `Nobody answered within ${minutes(by.getTime() - f.createdAt.getTime())}; ${nothing}.`, by);
      }
      return story('awaiting_you', 'Waiting for your answer; nothing is paid unless you approve.', f.createdAt, { answerBy: iso(by) });
    }
    case 'denied':
      if (f.endedReason) return story('cancelled', `Cancelled: ${clause(f.endedReason)}; ${nothing}.`, f.answeredAt ?? f.createdAt);
      return story('refused', `You rejected it; ${nothing}.`, f.answeredAt ?? f.createdAt);
    case 'declined': {
      const why = [...f.decision.reasons, ...f.decision.risk].map((r) => clause(r.message)).join('; ') || 'it is not allowed';
      return story('refused', `Declined by the mandate: ${why}; ${nothing}.`, f.answeredAt ?? f.createdAt);
    }
    case 'approved':
      return approvedStory(f, now);
  }
}

/** An approved payment the merchant has not charged: waiting, ended unused, or abandoned by the agent. */
function approvedStory(f: PaymentFacts, now: Date): PaymentStory {
  const approvedAt = f.approvedAt ?? f.answeredAt ?? f.createdAt;
  const token = f.token;
  if (token?.status === 'revoked') {
    const why = f.endedReason ? clause(f.endedReason) : 'the approval was withdrawn before the shop charged it';
    return story('cancelled', `Cancelled: ${why}; nothing was paid.`, token.usedAt ?? approvedAt);
  }
  if (token && (token.status === 'expired' || token.expiresAt.getTime() <= now.getTime())) {
    // Stamped when its time ran out, not when the sweeper noticed: every view agrees whenever it looks.
    return story('expired', 'Approved, but the shop never charged it; nothing was paid.', token.expiresAt);
  }
  if (f.failure) {
    const what = f.failure.message ? clause(f.failure.message) : 'the agent could not finish the checkout';
    return story('failed', `Approved, then ${what}; nothing was paid. The approval ends by itself unused.`, f.failure.at);
  }
  return story('approved', 'Approved; the shop has not charged it yet.', approvedAt);
}
