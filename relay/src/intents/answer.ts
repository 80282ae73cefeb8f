import type { ConfirmationAnswer, Intent } from '@agentpay/protocol';
import { approvalChallenge, ApprovalClaims, canonicalize, formatMoney, ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { Principal } from '../identity/principals.ts';
import { verifyWalletDocument } from '../identity/verify.ts';
import type { Queryable } from '../store/database.ts';
import { issueToken } from '../vault/tokens.ts';
import { payApprovedTopUp } from '../credits/top-ups.ts';
import { needsStepUp, requireAssertion, stepUpPolicy } from '../wallet/step-up.ts';
import { lockActor } from '../mandates/store.ts';
import { approvalClaims } from './confirmation-request.ts';
import { audit } from '../audit/audit.ts';
import { type IntentRow, loadIntent, toIntent } from './model.ts';

/**
 * Applies the user's signed answer to a held intent. The approval must be
 * signed by the intent's own wallet over exactly the merchant, amount, items
 * and id that were shown, and above the step-up threshold carry a passkey
 * assertion over that approval and a relay-issued challenge; denial and expiry are final.
 */
export async function answerIntent(
  ctx: RelayContext,
  tx: Queryable,
  outbox: RelayEvent[],
  wallet: Extract<Principal, { kind: 'wallet' }>,
  intentId: string,
  { jws, passkey }: ConfirmationAnswer,
): Promise<Intent> {
  const [owner] = await tx.query<{ actor_id: string }>('SELECT actor_id FROM intents WHERE id = $1 AND wallet_id = $2', [intentId, wallet.id]);
  if (!owner) throw new ProtocolError('not_found', `no intent ${intentId} in this wallet`, 404);
  // The actor first (a pause or revoke answered before this cannot be missed), then the intent.
  const actor = await lockActor(tx, owner.actor_id, 'share');
  const row = await loadIntent(tx, intentId, { forUpdate: true });
  if (!row || !actor) throw new ProtocolError('not_found', `no intent ${intentId} in this wallet`, 404);

  const payload = await verifyWalletDocument(wallet, jws, 'approval');
  const parsed = ApprovalClaims.safeParse(payload);
  if (!parsed.success) throw new ProtocolError('approval_mismatch', 'the signed approval is not an agentpay.approval.v1 document', 422);
  const { decision, ...signed } = parsed.data;
  if (canonicalize(signed) !== canonicalize(approvalClaims(row))) {
    throw new ProtocolError('approval_mismatch', `the approval was signed for a different merchant, amount or cart than intent ${intentId}`, 422);
  }

  if (row.status !== 'pending_confirmation') {
    throw new ProtocolError('intent_not_pending', `intent ${intentId} is already ${row.status}`, 409);
  }
  const now = ctx.now();
  if (row.confirm_by && row.confirm_by.getTime() <= now.getTime()) {
    // Expiry is final; the sweeper records it, this answer changes nothing.
    throw new ProtocolError('confirmation_expired', `the confirmation of intent ${intentId} expired at ${row.confirm_by.toISOString()}`, 409);
  }

  // Above the user's threshold, clicking Approve is not enough: an agent driving the browser can
  // click, but cannot pass the authenticator's user verification. Denying never needs it.
  if (decision === 'approve' && actor.status !== 'active') {
    throw actor.status === 'paused'
      ? new ProtocolError('agent_paused', `${row.actor_id} is paused: resume it before approving its payments (denying is still possible)`, 409)
      : new ProtocolError('agent_revoked', `${row.actor_id} was revoked: its payments can no longer be approved`, 409);
  }
  if (decision === 'approve') {
    const amount = { minor: row.amount_minor, currency: row.currency };
    // Shared lock on the wallet: a threshold or passkey change racing this approval lands wholly before or after it.
    await tx.query('SELECT 1 FROM wallets WHERE id = $1 FOR SHARE', [wallet.id]);
    const policy = await stepUpPolicy(tx, wallet.id);
    if (needsStepUp(policy, amount)) {
      await requireAssertion(tx, wallet.id, policy.passkey!, passkey, (id) => approvalChallenge(id, jws), `approving ${formatMoney(amount)} (at or above the step-up threshold)`, now);
    }
  }

  const status = decision === 'approve' ? 'approved' : 'denied';
  const [updated] = await tx.query<IntentRow>(
    `UPDATE intents SET status = $2, approval_jws = $3, answered_at = $4, approved_at = CASE WHEN $2 = 'approved' THEN clock_timestamp() END
     WHERE id = $1 AND status = 'pending_confirmation' RETURNING *`,
    [intentId, status, jws, now],
  );
  if (!updated) throw new ProtocolError('intent_not_pending', `intent ${intentId} was answered meanwhile`, 409);
  const token =
    status === 'approved'
      ? await issueToken(ctx, tx, { id: row.id, walletId: row.wallet_id, merchantId: row.merchant_id, currency: row.currency, maxMinor: row.amount_minor })
      : undefined;
  await audit(tx, { walletId: wallet.id, principal: wallet.id, action: `intent.${status}`, subject: intentId, details: { by: 'user confirmation' } });
  // A top-up's credits are bought now, with this token, which therefore goes to no one.
  const boughtCredits = token ? await payApprovedTopUp(ctx, tx, outbox, intentId, token.secret) : false;
  outbox.push({ type: 'intent.updated', walletId: row.wallet_id, actorId: row.actor_id, intent: toIntent(updated, boughtCredits ? undefined : token), cause: 'answered' });
  // The wallet gets the decision; the token itself is for the actor, who fetches or is pushed it.
  return toIntent(updated);
}

/** Marks held intents whose time ran out; expiry is final. */
export async function expireHeldIntents(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[]): Promise<number> {
  const rows = await tx.query<IntentRow>(
    `UPDATE intents SET status = 'expired' WHERE status = 'pending_confirmation' AND confirm_by <= $1 RETURNING *`,
    [ctx.now()],
  );
  for (const row of rows) outbox.push({ type: 'intent.updated', walletId: row.wallet_id, actorId: row.actor_id, intent: toIntent(row), cause: 'expired' });
  return rows.length;
}
