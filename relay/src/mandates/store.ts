import { type ActorStatus, type Category, type MandateDocument, ProtocolError } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

export interface CurrentMandate {
  id: string;
  document: MandateDocument;
}

/**
 * The actor's status now, whether the merchant exists (and its proven origins, null when not), and the
 * actor's current mandate. The actor's row is locked first and stays locked until the transaction ends:
 * an intent is decided entirely before or entirely after a pause, a revoke or a mandate edit, and one
 * actor's intents are decided one at a time, so its rate and budget checks see each other. The mandate is
 * read by a statement of its own after the lock is held: a statement that waited for the lock would
 * still see the mandate from before the wait (PostgreSQL re-reads only the locked row), i.e. the one an
 * edit just replaced.
 */
export async function merchantAndMandate(
  db: Queryable,
  merchantId: string,
  actorId: string,
  /** The checkout's origin, normalised: how many other merchants have proven it is counted too. */
  origin: string | null = null,
): Promise<{ merchantKnown: boolean; merchantOrigins: string[]; merchantCategory: Category | null; othersProvingOrigin: number; actorStatus: ActorStatus; mandate: CurrentMandate | null }> {
  const actor = await lockActor(db, actorId);
  if (!actor) throw new ProtocolError('unauthenticated', `unknown signer "${actorId}"`, 401);
  const [row] = await db.query<{ merchant_origins: string[] | null; merchant_category: Category | null; others: number; id: string | null; document: MandateDocument | null }>(
    `SELECT (SELECT proven_origins FROM merchants WHERE id = $1) AS merchant_origins,
            (SELECT category FROM merchants WHERE id = $1) AS merchant_category,
            (SELECT count(*) FROM merchants WHERE $3::text IS NOT NULL AND id <> $1 AND proven_origins @> jsonb_build_array($3::text))::int AS others,
            m.id, m.document
     FROM (SELECT 1) AS one LEFT JOIN mandates m ON m.actor_id = $2 AND m.superseded_at IS NULL`,
    [merchantId, actorId, origin],
  );
  return {
    merchantKnown: row!.merchant_origins !== null,
    merchantOrigins: row!.merchant_origins ?? [],
    merchantCategory: row!.merchant_category,
    othersProvingOrigin: Number(row!.others),
    actorStatus: actor.status, mandate: row!.id ? { id: row!.id, document: row!.document! } : null,
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
