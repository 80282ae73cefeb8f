import type { Queryable } from '../store/database.ts';

/** Appends who did what to whom, and why, to the audit trail (inside the caller's transaction). */
export async function audit(
  tx: Queryable,
  entry: { walletId: string | null; principal: string; action: string; subject: string; details: unknown },
): Promise<void> {
  await tx.query('INSERT INTO audit_log (wallet_id, principal, action, subject, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    entry.walletId, entry.principal, entry.action, entry.subject, JSON.stringify(entry.details),
  ]);
}
