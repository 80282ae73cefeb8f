import { displayText, ProtocolError } from '@agentpay/protocol';
import * as z from 'zod';
import { audit } from '../audit/audit.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { Queryable } from '../store/database.ts';
import { releaseTokens } from '../vault/tokens.ts';
import { type IntentRow, toIntent } from './model.ts';

/** Why a checkout ended before it was paid, in the wallet's words. */
export const CancelRequest = z
  // Shown in the payment's story and stored: display text, so no NUL (the store refuses it), lone surrogate or bidi control.
  .object({ reason: displayText(300, 'reason: say why the payment is cancelled') })
  .strict();

export type Cancellation =
  | { cancelled: 'held' | 'token'; intentId: string }
  /** Nothing left to cancel: the intent's status, and its token's (charged, revoked, expired) so an approved one is not mistaken for paid or live. */
  | { cancelled: 'nothing'; intentId: string; status: string; tokenStatus?: string };

/** Who cancels: the wallet (any of its intents), or an agent or device (only its own). */
export type Canceller = { walletId: string; actorId?: string };

/**
 * Ends a payment whose checkout is gone (its tab closed, the browser restarted
 * without it) or that its agent no longer wants: a held intent stops waiting, an
 * approved token nobody will use is revoked and its hold released. Anything already
 * charged, answered or expired is left as it is and said so: cancelling is never a refund.
 * The intent's row lock orders it against the wallet's answer: whichever comes second sees
 * what the first did.
 */
export async function cancelIntent(tx: Queryable, outbox: RelayEvent[], by: Canceller, intentId: string, reason: string, now: Date): Promise<Cancellation> {
  const { walletId } = by;
  const [row] = await tx.query<IntentRow>(
    'SELECT * FROM intents WHERE id = $1 AND wallet_id = $2 AND ($3::text IS NULL OR actor_id = $3) FOR NO KEY UPDATE',
    [intentId, walletId, by.actorId ?? null],
  );
  if (!row) throw new ProtocolError('not_found', by.actorId ? `no intent ${intentId} of ${by.actorId}` : `no intent ${intentId} in this wallet`, 404);
  const principal = by.actorId ?? walletId;
  if (row.status === 'pending_confirmation' && row.confirm_by && row.confirm_by <= now) {
    // Its time ran out before the sweeper saw it: it expired (nobody answered), it was not cancelled.
    const [expired] = await tx.query<IntentRow>(`UPDATE intents SET status = 'expired' WHERE id = $1 RETURNING *`, [intentId]);
    outbox.push({ type: 'intent.updated', walletId, actorId: row.actor_id, intent: toIntent(expired!), cause: 'expired' });
    return { cancelled: 'nothing', intentId, status: 'expired' };
  }
  if (row.status === 'pending_confirmation') {
    const [updated] = await tx.query<IntentRow>(
      `UPDATE intents SET status = 'denied', answered_at = now(), ended_reason = $2 WHERE id = $1 RETURNING *`,
      [intentId, reason],
    );
    await audit(tx, { walletId, principal, action: 'intent.cancelled', subject: intentId, details: { reason } });
    outbox.push({ type: 'intent.updated', walletId, actorId: row.actor_id, intent: toIntent(updated!), cause: 'cancelled' });
    return { cancelled: 'held', intentId };
  }
  if (row.status === 'approved') {
    // The token's row lock orders this after a charge in flight: a charged token is not active, so nothing is released.
    const [token] = await tx.query<{ settling_until: Date | null }>('SELECT settling_until FROM tokens WHERE intent_id = $1 FOR NO KEY UPDATE', [intentId]);
    // A merchant verified it and is serving what it pays for: its agent cannot pull it back meanwhile (its user still can).
    if (by.actorId && token?.settling_until && token.settling_until > now) {
      throw new ProtocolError('token_in_use', `a merchant is settling this payment until ${token.settling_until.toISOString()}; ask again after that`, 409);
    }
    const released = await releaseTokens(tx, outbox, { intentId }, reason);
    if (released.length > 0) {
      const [updated] = await tx.query<IntentRow>('UPDATE intents SET ended_reason = $2 WHERE id = $1 RETURNING *', [intentId, reason]);
      await audit(tx, { walletId, principal, action: 'token.revoked', subject: intentId, details: { reason } });
      outbox.push({ type: 'intent.updated', walletId, actorId: row.actor_id, intent: toIntent(updated!), cause: 'cancelled' });
      return { cancelled: 'token', intentId };
    }
  }
  const [token] = await tx.query<{ status: string }>('SELECT status FROM tokens WHERE intent_id = $1', [intentId]);
  return { cancelled: 'nothing', intentId, status: row.status, ...(token ? { tokenStatus: token.status } : {}) };
}
