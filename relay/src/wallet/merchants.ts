import type { MandateDocument, WalletMerchant } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

/** Every merchant id a mandate names: its rules' allow and deny lists, its quota's merchants, its blocks. */
export function merchantsNamedBy(doc: MandateDocument): string[] {
  const ids = [...doc.block.merchants];
  if (doc.kind === 'rules') for (const rule of doc.rules) ids.push(...(rule.merchants?.allow ?? []), ...(rule.merchants?.deny ?? []));
  if (doc.kind === 'quota') ids.push(...(doc.merchants ?? []));
  return ids;
}

/**
 * The merchants this wallet knows: those of its own intents and those its
 * mandates name (current or replaced, so a rule's shop keeps its name when
 * the page reads an older mandate back). Never another wallet's merchants:
 * both sources are filtered by this wallet's id.
 */
export async function walletMerchants(db: Queryable, walletId: string): Promise<WalletMerchant[]> {
  const mandates = await db.query<{ document: MandateDocument }>('SELECT document FROM mandates WHERE wallet_id = $1', [walletId]);
  const named = [...new Set(mandates.flatMap((m) => merchantsNamedBy(m.document)))];
  const rows = await db.query<{ id: string; name: string; proven_origins: string[] }>(
    `SELECT id, name, proven_origins FROM merchants
     WHERE id IN (SELECT DISTINCT merchant_id FROM intents WHERE wallet_id = $1) OR id = ANY($2::text[])
     ORDER BY lower(name), id`,
    [walletId, named],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, provenSites: r.proven_origins }));
}
