import { normaliseDisplayText } from '@agentpay/protocol';
import unhomoglyph from 'unhomoglyph';
import type { Queryable } from '../store/database.ts';

/**
 * How a name looks, for telling a wallet that one merchant's name imitates
 * another's: the UTS #39 skeleton (Unicode's confusables, so Cyrillic "е" and
 * Latin "e", "rn" and "m", "I" and "l" fold together) of the name ignoring case,
 * and keeping only letters and digits: spaces, punctuation, accents and anything else
 * a reader's eye passes over do not make a copy a different name. Two names with
 * one skeleton look alike; it is never shown.
 */
export function nameSkeleton(name: string): string {
  const skeleton = (text: string) => unhomoglyph(text.normalize('NFD')).normalize('NFD');
  return skeleton(skeleton(normaliseDisplayText(name)).toLowerCase()).replace(/[^\p{L}\p{N}]/gu, '');
}

export interface Lookalike {
  id: string;
  name: string;
  provenOrigins: string[];
}

/**
 * The merchants whose names this merchant's name looks like, that a wallet should
 * warn about: they have proven an origin, and they registered earlier or this
 * merchant has proven none. A later copy, or one that proves nothing, therefore
 * never puts a warning on the checkouts of the merchant it copies.
 */
export async function lookalikesOf(
  db: Queryable,
  merchant: { id: string; name: string; createdAt: Date; provenOrigins: string[] },
): Promise<Lookalike[]> {
  const rows = await db.query<{ id: string; name: string; proven_origins: string[] }>(
    `SELECT id, name, proven_origins FROM merchants
     WHERE name_skeleton = $1 AND id <> $2 AND proven_origins <> '[]'::jsonb AND (created_at < $3 OR $4)
     ORDER BY created_at LIMIT 5`,
    [nameSkeleton(merchant.name), merchant.id, merchant.createdAt, merchant.provenOrigins.length === 0],
  );
  return rows.map((row) => ({ id: row.id, name: row.name, provenOrigins: row.proven_origins }));
}

/**
 * Gives every merchant the skeleton its name has under the current rules (at start): one registered
 * before names had skeletons, or before the rules last changed.
 */
export async function fillNameSkeletons(db: Queryable): Promise<void> {
  const rows = await db.query<{ id: string; name: string; name_skeleton: string | null }>('SELECT id, name, name_skeleton FROM merchants');
  for (const row of rows) {
    const skeleton = nameSkeleton(row.name);
    if (skeleton !== row.name_skeleton) await db.query('UPDATE merchants SET name_skeleton = $2 WHERE id = $1', [row.id, skeleton]);
  }
}
