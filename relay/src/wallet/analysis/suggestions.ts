import type { BudgetStanding, RecurringPurchase, Suggestion } from '@agentpay/protocol';
import { formatMoney } from '@agentpay/protocol';

/** From this share of a budget used, the wallet says it is nearly spent. */
export const NEARLY_SPENT_PERCENT = 80;
/** This many of the user's own approvals for one agent at one merchant make a rule worth suggesting. */
export const APPROVALS_FOR_A_RULE = 3;
/** The window those approvals are counted in. */
export const APPROVALS_WINDOW_DAYS = 30;

/** How often an agent asked the user about one merchant, and how often the user said yes. */
export interface AskedOften {
  actorId: string;
  actorName: string;
  merchantId: string;
  merchantName: string;
  asked: number;
  approved: number;
}

const PERIOD_WORD = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

/** "1 December", as the user's calendar reads it. */
export function dayLabel(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long' }).format(new Date(instant));
}

/**
 * Plain sentences drawn from the user's own records: a budget nearly spent, an agent that keeps
 * asking about the same merchant (and the user keeps saying yes), a purchase that repeats.
 * Most pressing first: money running out, then clicks to save, then habits.
 */
export function suggestions(input: { budgets: BudgetStanding[]; asked: AskedOften[]; recurring: RecurringPurchase[]; timeZone: string }): Suggestion[] {
  const { timeZone } = input;
  const out: Suggestion[] = [];
  for (const b of input.budgets) {
    if (b.usedPercent < NEARLY_SPENT_PERCENT) continue;
    out.push({
      kind: 'budget_nearly_spent', actorId: b.actorId, merchantId: null,
      text: `${b.actorName} has used ${b.usedPercent}% of its ${PERIOD_WORD[b.period]} budget of ${formatMoney(b.budget)}: ${formatMoney(b.left)} left until it renews on ${dayLabel(b.renewsAt, timeZone)}.`,
    });
  }
  for (const a of input.asked) {
    if (a.approved < APPROVALS_FOR_A_RULE) continue;
    const answered = a.approved === a.asked ? 'and you approved every one' : `and you approved ${a.approved} of them`;
    out.push({
      kind: 'make_a_rule', actorId: a.actorId, merchantId: a.merchantId,
      text: `${a.actorName} asked you to confirm ${a.asked} payments at ${a.merchantName} in the last ${APPROVALS_WINDOW_DAYS} days ${answered}: a rule for ${a.merchantName} would save you those clicks.`,
    });
  }
  for (const r of input.recurring) {
    out.push({
      kind: 'recurring', actorId: null, merchantId: r.merchantId,
      text: `You buy from ${r.merchantName} every ${r.interval === 'weekly' ? 'week' : 'month'} (${formatMoney(r.amount)}, ${r.occurrences} times so far): the next is likely around ${dayLabel(r.nextExpectedAt, timeZone)}.`,
    });
  }
  return out;
}
