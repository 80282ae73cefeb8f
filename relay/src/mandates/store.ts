import type { MandateDocument } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

export interface CurrentMandate {
  id: string;
  document: MandateDocument;
}

/** The mandate that decides the actor's payments now, if any. */
export async function currentMandate(db: Queryable, actorId: string): Promise<CurrentMandate | null> {
  const [row] = await db.query<CurrentMandate>(
    'SELECT id, document FROM mandates WHERE actor_id = $1 AND superseded_at IS NULL',
    [actorId],
  );
  return row ?? null;
}
