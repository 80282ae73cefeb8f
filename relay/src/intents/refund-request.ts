import { multilineText, ProtocolError } from '@agentpay/protocol';
import * as z from 'zod';
import { audit } from '../audit/audit.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { ActorPrincipal } from '../identity/principals.ts';
import type { Queryable } from '../store/database.ts';
import { type IntentRow, toIntent } from './model.ts';

export const RefundAsk = z.object({ reason: multilineText().min(1, 'reason is required: the user reads it').max(500) }).strict();
export type RefundAsk = z.infer<typeof RefundAsk>;

export const RefundAsked = z.object({
  intentId: z.string(),
  /** `asked`: recorded now; `already`: an earlier ask stands (its reason is kept). */
  asked: z.enum(['asked', 'already']),
  reason: z.string(),
  askedAt: z.string(),
  /** What is left to refund of the charge, in its minor units. */
  refundableMinor: z.number().int(),
});
export type RefundAsked = z.infer<typeof RefundAsked>;

/**
 * An agent asks its user to refund one of its own charged payments. The agent cannot move money
 * back; the user decides in the AI Wallet, where the ask and its reason sit beside Refund. Asking
 * again keeps the first ask. Under the intent's row lock, so a refund racing the ask is seen.
 */
export async function askForRefund(tx: Queryable, outbox: RelayEvent[], actor: ActorPrincipal, intentId: string, ask: RefundAsk, now: Date): Promise<RefundAsked> {
  const [row] = await tx.query<IntentRow & { refund_asked_at: Date | null; refund_reason: string | null }>(
    'SELECT * FROM intents WHERE id = $1 AND actor_id = $2 FOR NO KEY UPDATE', [intentId, actor.id],
  );
  if (!row) throw new ProtocolError('not_found', `no payment ${intentId} asked by ${actor.id}`, 404);
  const [charge] = await tx.query<{ remaining: number }>('SELECT (amount_minor - refunded_minor)::int AS remaining FROM charges WHERE intent_id = $1', [intentId]);
  if (!charge) throw new ProtocolError('nothing_to_refund', `payment ${intentId} was never charged (it is ${row.status}): there is nothing to refund`, 409);
  if (charge.remaining <= 0) throw new ProtocolError('nothing_to_refund', `payment ${intentId} is already refunded in full`, 409);
  if (row.refund_asked_at) {
    return { intentId, asked: 'already', reason: row.refund_reason ?? '', askedAt: row.refund_asked_at.toISOString(), refundableMinor: Number(charge.remaining) };
  }
  const [updated] = await tx.query<IntentRow>('UPDATE intents SET refund_asked_at = $2, refund_reason = $3 WHERE id = $1 RETURNING *', [intentId, now, ask.reason]);
  await audit(tx, { walletId: row.wallet_id, principal: actor.id, action: 'refund.asked', subject: intentId, details: { reason: ask.reason } });
  outbox.push({ type: 'intent.updated', walletId: row.wallet_id, actorId: row.actor_id, intent: toIntent(updated!), cause: 'refund_asked' });
  return { intentId, asked: 'asked', reason: ask.reason, askedAt: now.toISOString(), refundableMinor: Number(charge.remaining) };
}
