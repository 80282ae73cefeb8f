import { type AutoTopUp, AutoTopUpSetting, ProtocolError } from '@agentpay/protocol';
import * as z from 'zod';
import type { Queryable } from '../store/database.ts';

/** Turns a credit account's automatic top-up on (or changes it), or off with `null`. */
export const AutoTopUpChange = z.object({ autoTopUp: AutoTopUpSetting.nullable() }).strict();
export type AutoTopUpChange = z.infer<typeof AutoTopUpChange>;

/**
 * The user lets one of the wallet's agents keep the account above a threshold, buying under that
 * agent's mandate. One setting per account (so one crossing is one purchase, never one per agent).
 */
export async function setAutoTopUp(tx: Queryable, walletId: string, accountId: string, change: AutoTopUpSetting | null): Promise<{ autoTopUp: AutoTopUp | null }> {
  const [account] = await tx.query<{ id: string; currency: string }>(
    'SELECT id, currency FROM credit_accounts WHERE id = $1 AND wallet_id = $2 FOR NO KEY UPDATE', [accountId, walletId],
  );
  if (!account) throw new ProtocolError('not_found', `no credit account ${accountId} in this wallet`, 404);
  if (change === null) {
    await tx.query('UPDATE credit_accounts SET top_up_actor_id = NULL, top_up_threshold_minor = NULL, top_up_amount_minor = NULL WHERE id = $1', [accountId]);
    return { autoTopUp: null };
  }
  if (change.threshold.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `credit account ${accountId} is in ${account.currency}, not ${change.threshold.currency}`, 422, [
      { path: 'autoTopUp.threshold.currency', message: `must be ${account.currency}` },
    ]);
  }
  // An agent, not a device: a device's payments are spoken or scanned, and a top-up is neither.
  const [agent] = await tx.query<{ id: string; name: string }>(
    `SELECT id, name FROM actors WHERE id = $1 AND wallet_id = $2 AND kind = 'agent' AND status <> 'revoked'`, [change.agentId, walletId],
  );
  if (!agent) {
    throw new ProtocolError('unknown_agent', `no agent ${change.agentId} of this wallet that is not revoked`, 422, [
      { path: 'autoTopUp.agentId', message: "must be one of this wallet's agents" },
    ]);
  }
  await tx.query(
    'UPDATE credit_accounts SET top_up_actor_id = $2, top_up_threshold_minor = $3, top_up_amount_minor = $4 WHERE id = $1',
    [accountId, agent.id, change.threshold.minor, change.amount.minor],
  );
  return { autoTopUp: { accountId, agent: { id: agent.id, name: agent.name }, threshold: change.threshold, amount: change.amount } };
}
