import type { ConfirmationRequest } from '@agentpay/protocol';
import { lookalikesOf } from '../merchant/lookalike.ts';
import type { Queryable } from '../store/database.ts';
import { needsStepUp, stepUpPolicy } from '../wallet/step-up.ts';
import { mandateWords, reasonsInWords } from './mandate-words.ts';
import { iso, type IntentRow } from './model.ts';

/** What the user's wallet is shown, and exactly what its approval must sign. */
export async function confirmationRequest(tx: Queryable, row: IntentRow, actorName: string): Promise<ConfirmationRequest> {
  const [merchant] = await tx.query<{ id: string; name: string; origins: string[]; proven_origins: string[]; created_at: Date }>(
    'SELECT id, name, origins, proven_origins, created_at FROM merchants WHERE id = $1',
    [row.merchant_id],
  );
  const { id, name, origins, proven_origins: provenOrigins, created_at: createdAt } = merchant!;
  const lookalikes = await lookalikesOf(tx, { id, name, createdAt, provenOrigins });
  const policy = await stepUpPolicy(tx, row.wallet_id);
  return {
    intentId: row.id,
    walletId: row.wallet_id,
    actorId: row.actor_id,
    actorName,
    merchant: { id, name, origins, provenOrigins, lookalikes },
    claims: approvalClaims(row),
    reasons: await reasonsInWords(tx, row),
    risk: row.decision.risk,
    mandateId: row.mandate_id,
    mandate: await mandateWords(tx, row),
    // The relay holds each wallet's money in one funding account and knows no card or bank behind it.
    fundingSource: 'your AgentPay wallet',
    expiresAt: iso(row.confirm_by!),
    stepUp: needsStepUp(policy, { minor: row.amount_minor, currency: row.currency }),
  };
}

/** The fields an approval signs, rebuilt from what the relay stored. */
export function approvalClaims(row: IntentRow) {
  return {
    type: 'agentpay.approval.v1' as const,
    intentId: row.id,
    merchantId: row.merchant_id,
    amount: { minor: row.amount_minor, currency: row.currency },
    lineItems: row.line_items,
    category: row.category,
  };
}
