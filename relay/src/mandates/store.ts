import type { ActorStatus, MandateDocument } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

export interface CurrentMandate {
  id: string;
  document: MandateDocument;
}

/**
 * Whether the merchant exists (and its proven origins, null when not), the actor's status now, and its current
 * mandate, in one round trip (the hot path).
 */
export async function merchantAndMandate(
  db: Queryable,
  merchantId: string,
  actorId: string,
): Promise<{ merchantKnown: boolean; merchantOrigins: string[]; actorStatus: ActorStatus; mandate: CurrentMandate | null }> {
  const [row] = await db.query<{ merchant_origins: string[] | null; actor_status: ActorStatus; id: string | null; document: MandateDocument | null }>(
    `SELECT (SELECT proven_origins FROM merchants WHERE id = $1) AS merchant_origins,
            (SELECT status FROM actors WHERE id = $2) AS actor_status, m.id, m.document
     FROM (SELECT 1) AS one LEFT JOIN mandates m ON m.actor_id = $2 AND m.superseded_at IS NULL`,
    [merchantId, actorId],
  );
  return {
    merchantKnown: row!.merchant_origins !== null,
    merchantOrigins: row!.merchant_origins ?? [],
    actorStatus: row!.actor_status, mandate: row!.id ? { id: row!.id, document: row!.document! } : null,
  };
}
