import type { WalletUnpaired } from '@agentpay/protocol';
import { audit } from '../audit/audit.ts';
import type { RelayEvent } from '../events/hub.ts';
import { forgetPrincipal, type Principal } from '../identity/principals.ts';
import type { Queryable } from '../store/database.ts';
import { updateActor } from './actors.ts';

type WalletPrincipal = Extract<Principal, { kind: 'wallet' }>;

/**
 * The user unpairs their browser: the wallet stops being anyone. Every agent
 * and device it registered is revoked the way the wallet page revokes one
 * (held payments declined, unused tokens ended), because with nobody left to
 * approve, an agent must not go on paying by its mandate alone. Its key signs
 * nothing from then on. Charges, refunds and the audit trail stay: the ledger
 * must still add up, and money already moved is not undone by unpairing.
 */
export async function unpairWallet(tx: Queryable, outbox: RelayEvent[], wallet: WalletPrincipal, now: Date): Promise<WalletUnpaired> {
  // Locked first: an agent registered meanwhile waits for this and then finds the wallet gone.
  const [row] = await tx.query<{ unpaired_at: Date | null }>('SELECT unpaired_at FROM wallets WHERE id = $1 FOR UPDATE', [wallet.id]);
  if (!row || row.unpaired_at) return { walletId: wallet.id, revoked: [], declinedPayments: 0 };
  const actors = await tx.query<{ id: string; name: string }>("SELECT id, name FROM actors WHERE wallet_id = $1 AND status <> 'revoked' ORDER BY created_at", [wallet.id]);
  let declinedPayments = 0;
  for (const actor of actors) {
    const before = outbox.length;
    await updateActor(tx, outbox, wallet, actor.id, { status: 'revoked' }, now);
    declinedPayments += outbox.slice(before).filter((event) => event.type === 'intent.updated').length;
  }
  await tx.query('UPDATE wallets SET unpaired_at = $2 WHERE id = $1', [wallet.id, now]);
  await audit(tx, { walletId: wallet.id, principal: wallet.id, action: 'wallet.unpaired', subject: wallet.id, details: { revoked: actors.map((a) => a.id), declinedPayments } });
  forgetPrincipal(wallet.id);
  outbox.push({ type: 'wallet.unpaired', walletId: wallet.id });
  return { walletId: wallet.id, revoked: actors, declinedPayments };
}
