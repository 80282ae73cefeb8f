import type { PaymentStory } from '@agentpay/protocol';
import { FINAL_PAYMENT_STATES } from '@agentpay/protocol';

/** After this long without a report, a task that never asked to pay is taken as given up. */
export const TASK_SILENCE_MS = 30 * 60_000;

/** The last step an agent reported for a task. */
export interface LastStep {
  stage: string;
  message: string | null;
  at: Date;
}

/**
 * A task's story: its latest payment's when it asked for one (so a refused or
 * expired request no longer reads "awaiting confirmation", and an approval is
 * not "paid" until the shop charged), else where the agent got to; an agent
 * silent for 30 minutes without a payment has stopped. Pure.
 */
export function taskStory(step: LastStep | null, payment: PaymentStory | null, now: Date): PaymentStory {
  if (payment) return payment;
  const at = step?.at ?? now;
  const base = { moneyMoved: false, answerBy: null, at: at.toISOString() };
  if (step?.stage === 'failed') {
    const what = step.message?.trim().replace(/[.;]+$/, '') || 'the agent could not finish';
    return { ...base, state: 'failed', reason: `${what[0]!.toUpperCase()}${what.slice(1)}; nothing was paid.` };
  }
  if (now.getTime() - at.getTime() >= TASK_SILENCE_MS) {
    return { ...base, state: 'cancelled', reason: 'The agent stopped reporting for 30 minutes; nothing was paid.', at: new Date(at.getTime() + TASK_SILENCE_MS).toISOString() };
  }
  if (!step || step.stage === 'searching') return { ...base, state: 'searching', reason: null };
  return { ...base, state: 'found', reason: 'The agent reached a checkout; nothing is paid until a payment is approved.' };
}

/** Whether nothing more will happen to a task with this story. */
export const taskFinished = (story: PaymentStory) => FINAL_PAYMENT_STATES.has(story.state);
