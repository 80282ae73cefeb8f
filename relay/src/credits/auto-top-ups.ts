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
    await tx.query('DELETE FROM credit_auto_top_ups WHERE account_id = $1', [accountId]);
    return { autoTopUp: null };
  }
  if (change.threshold.currency !== account.currency) {
    throw new ProtocolError('currency_mismatch', `credit account ${accountId} is in ${account.currency}, not ${change.threshold.currency}`, 422, [
      { path: 'autoTopUp.threshold.currency', message: `must be ${account.currency}` },
    ]);
  }
  const [agent] = await tx.query<{ id: string; name: string; status: string; kind: string }>(
    'SELECT id, name, status, kind FROM actors WHERE id = $1 AND wallet_id = $2', [change.agentId, walletId],
  );
  if (!agent || agent.status === 'revoked') {
    throw new ProtocolError('unknown_agent', `no agent ${change.agentId} in this wallet${agent ? ' that is not revoked' : ''}`, 422, [
      { path: 'autoTopUp.agentId', message: 'must be one of this wallet\'s agents' },
    ]);
  }
  await tx.query(
    `INSERT INTO credit_auto_top_ups (account_id, actor_id, threshold_minor, amount_minor, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (account_id) DO UPDATE SET actor_id = $2, threshold_minor = $3, amount_minor = $4, updated_at = now()`,
    [accountId, agent.id, change.threshold.minor, change.amount.minor],
  );
  return { autoTopUp: { accountId, agent: { id: agent.id, name: agent.name }, threshold: change.threshold, amount: change.amount } };
}
