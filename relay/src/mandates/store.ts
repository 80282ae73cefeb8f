import type { MandateDocument } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

export interface CurrentMandate {
  id: string;
  document: MandateDocument;
}

/** Whether the merchant exists, and the actor's current mandate, in one round trip (the hot path). */
export async function merchantAndMandate(
  db: Queryable,
  merchantId: string,
  actorId: string,
): Promise<{ merchantKnown: boolean; mandate: CurrentMandate | null }> {
  const [row] = await db.query<{ merchant_known: boolean; id: string | null; document: MandateDocument | null }>(
    `SELECT EXISTS (SELECT 1 FROM merchants WHERE id = $1) AS merchant_known, m.id, m.document
     FROM (SELECT 1) AS one LEFT JOIN mandates m ON m.actor_id = $2 AND m.superseded_at IS NULL`,
    [merchantId, actorId],
  );
  return { merchantKnown: row!.merchant_known, mandate: row!.id ? { id: row!.id, document: row!.document! } : null };
}
