import { formatMoney, type Intent } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from './hub.ts';

/** What the relay did with an intent, as a person reads it at the start of its log line. */
const OUTCOMES: Record<Intent['status'], string> = {
  approved: 'approved',
  pending_confirmation: 'held for the user',
  declined: 'declined',
  denied: 'refused by the user',
  expired: 'expired unanswered',
};

/**
 * One readable info line each time money moves or the relay decides about it: an intent approved,
 * held or declined (amount, merchant, agent, and the rule or budget that decided), a charge, a refund.
 * Written from committed events, so a rolled-back attempt never shows. The line's fields stay
 * structured under `payment` for JSON logs.
 */
export function logMoneyMovements(ctx: RelayContext, signal: AbortSignal): void {
  ctx.events.subscribe((event) => {
    void describe(ctx, event).then((line) => {
      if (line) ctx.log.info({ payment: line.fields }, line.text);
    });
  }, signal);
}

async function describe(ctx: RelayContext, event: RelayEvent): Promise<{ text: string; fields: Record<string, unknown> } | undefined> {
  if (event.type === 'intent.updated') {
    const { intent, cause } = event;
    const who = await names(ctx, intent.id);
    const why = [...intent.decision.reasons, ...intent.decision.risk].map((r) => r.message).join('; ');
    const by = intent.decision.mandateId ? ` [mandate ${intent.decision.mandateId}${intent.decision.ruleId ? `, rule ${intent.decision.ruleId}` : ''}]` : '';
    const outcome = cause === 'answered' && intent.status === 'approved' ? 'approved by the user' : OUTCOMES[intent.status];
    const text = `${outcome}: ${formatMoney(intent.amount)} at ${who.merchant} for ${who.actor}${why ? ` (${why})` : ''}${by}, intent ${intent.id}`;
    return { text: cause === 'revoked' ? `${text}, its agent was revoked` : text, fields: { kind: 'intent', cause, intentId: intent.id, status: intent.status, amount: intent.amount, merchantId: intent.merchantId, actorId: intent.actorId, mandateId: intent.decision.mandateId, ruleId: intent.decision.ruleId } };
  }
  if (event.type === 'charge.succeeded' || event.type === 'refund.succeeded') {
    const who = await names(ctx, event.intentId);
    const verb = event.type === 'charge.succeeded' ? 'charged' : 'refunded';
    return {
      text: `${verb} ${formatMoney(event.amount)} at ${who.merchant} for ${who.actor}, charge ${event.chargeId}`,
      fields: { kind: event.type === 'charge.succeeded' ? 'charge' : 'refund', chargeId: event.chargeId, intentId: event.intentId, amount: event.amount, actorId: event.actorId },
    };
  }
  return undefined;
}

/** The merchant's and the agent's names, or their ids when the store cannot say (it is closing). */
async function names(ctx: RelayContext, intentId: string): Promise<{ merchant: string; actor: string }> {
  try {
    const [row] = await ctx.db.query<{ merchant: string; actor: string }>(
      `SELECT m.name AS merchant, a.name AS actor FROM intents i JOIN merchants m ON m.id = i.merchant_id JOIN actors a ON a.id = i.actor_id WHERE i.id = $1`,
      [intentId],
    );
    if (row) return row;
  } catch {
    // fall through to the ids
  }
  return { merchant: 'an unnamed merchant', actor: `the actor of ${intentId}` };
}
