import { type ActorStatus, type MandateDocument, ProtocolError } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

export interface CurrentMandate {
  id: string;
  document: MandateDocument;
}

/**
 * Whether the merchant exists (and its proven origins, null when not), the actor's status now, and its current
 * mandate, in one round trip (the hot path). The actor's row stays locked until the transaction ends:
 * an intent is decided entirely before or entirely after a pause, a revoke or a mandate edit, and one
 * actor's intents are decided one at a time, so its rate and budget checks see each other.
 */
export async function merchantAndMandate(
  db: Queryable,
  merchantId: string,
  actorId: string,
): Promise<{ merchantKnown: boolean; merchantOrigins: string[]; actorStatus: ActorStatus; mandate: CurrentMandate | null }> {
  const [row] = await db.query<{ merchant_origins: string[] | null; actor_status: ActorStatus; id: string | null; document: MandateDocument | null }>(
    `SELECT (SELECT proven_origins FROM merchants WHERE id = $1) AS merchant_origins, a.status AS actor_status, m.id, m.document
     FROM actors a LEFT JOIN mandates m ON m.actor_id = a.id AND m.superseded_at IS NULL
     WHERE a.id = $2 FOR NO KEY UPDATE OF a`,
    [merchantId, actorId],
  );
  if (!row) throw new ProtocolError('unauthenticated', `unknown signer "${actorId}"`, 401);
  return {
    merchantKnown: row!.merchant_origins !== null,
    merchantOrigins: row!.merchant_origins ?? [],
    actorStatus: row!.actor_status, mandate: row!.id ? { id: row!.id, document: row!.document! } : null,
  };
}

/**
 * Locks the actor's row for a control change or an approval, in the order every path takes
 * (actor, then intent, then token), and returns its status and wallet.
 */
export async function lockActor(tx: Queryable, actorId: string, mode: 'update' | 'share' = 'update'): Promise<{ status: ActorStatus; walletId: string } | undefined> {
  const [row] = await tx.query<{ status: ActorStatus; wallet_id: string }>(
    `SELECT status, wallet_id FROM actors WHERE id = $1 FOR ${mode === 'update' ? 'NO KEY UPDATE' : 'SHARE'}`,
    [actorId],
  );
  return row && { status: row.status, walletId: row.wallet_id };
}
