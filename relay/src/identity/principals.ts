import type { ActorStatus, DeviceProfile, PublicJwk } from '@agentpay/protocol';
import { ID_PREFIX } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

/** Whoever signed a request, as the relay knows them. */
export type Principal =
  | { kind: 'wallet'; id: string; walletId: string; publicJwk: PublicJwk }
  | {
      kind: 'agent' | 'device';
      id: string;
      walletId: string;
      name: string;
      status: ActorStatus;
      profile: DeviceProfile | null;
      publicJwk: PublicJwk;
    }
  | { kind: 'merchant'; id: string; publicJwk: PublicJwk }
  /** Signed by the key it is registering: not yet anyone the relay knows. */
  | { kind: 'registrant'; id: string; publicJwk: PublicJwk }
  /** Public reads. */
  | { kind: 'anonymous'; id: 'anonymous' };

export type PrincipalKind = Principal['kind'];
/** Principals that registered a key with this relay. */
export type KeyedPrincipal = Exclude<Principal, { kind: 'anonymous' | 'registrant' }>;
export type ActorPrincipal = Extract<Principal, { kind: 'agent' | 'device' }>;

/** Finds a signer by id; the id's prefix says which table holds it. */
export async function findPrincipal(db: Queryable, id: string): Promise<KeyedPrincipal | null> {
  // Whatever a signature's header names reaches the store only if it could be an id (no U+0000 for it to choke on).
  if (!/^[a-z]{3}_[0-9a-z]{1,64}$/.test(id)) return null;
  const prefix = id.split('_')[0];
  if (prefix === ID_PREFIX.wallet) {
    const [row] = await db.query<{ id: string; public_jwk: PublicJwk }>('SELECT id, public_jwk FROM wallets WHERE id = $1 AND unpaired_at IS NULL', [id]);
    // An unpaired wallet's key is nobody's: its requests are answered as an unknown signer's.
    return row ? { kind: 'wallet', id: row.id, walletId: row.id, publicJwk: row.public_jwk } : null;
  }
  if (prefix === ID_PREFIX.agent || prefix === ID_PREFIX.device) {
    const [row] = await db.query<{
      id: string; kind: 'agent' | 'device'; wallet_id: string; name: string; status: ActorStatus; profile: DeviceProfile | null; public_jwk: PublicJwk;
    }>('SELECT id, kind, wallet_id, name, status, profile, public_jwk FROM actors WHERE id = $1', [id]);
    return row
      ? { kind: row.kind, id: row.id, walletId: row.wallet_id, name: row.name, status: row.status, profile: row.profile, publicJwk: row.public_jwk }
      : null;
  }
  if (prefix === ID_PREFIX.merchant) {
    const [row] = await db.query<{ id: string; public_jwk: PublicJwk }>('SELECT id, public_jwk FROM merchants WHERE id = $1', [id]);
    return row ? { kind: 'merchant', id: row.id, publicJwk: row.public_jwk } : null;
  }
  return null;
}

/** How long a signer's key stays cached. Status changes are re-read inside every state change. */
const CACHE_MS = 5_000;
const caches = new WeakMap<object, Map<string, { principal: KeyedPrincipal; until: number }>>();
/** Every cache, so that a status change can drop its signer from all of them. */
const allCaches = new Set<WeakRef<Map<string, unknown>>>();

/** Drops a signer from the caches of this process, e.g. once it is paused or revoked. */
export function forgetPrincipal(id: string): void {
  for (const ref of allCaches) {
    const cache = ref.deref();
    if (cache) cache.delete(id);
    else allCaches.delete(ref);
  }
}

/**
 * findPrincipal with a short cache per database: a signer's key never changes,
 * so the lookup need not cost a round trip on every request. Pausing and
 * revoking still take effect at once for payments, because createIntent
 * re-reads the actor's status in its transaction.
 */
export async function findPrincipalCached(db: Queryable, id: string): Promise<KeyedPrincipal | null> {
  let cache = caches.get(db);
  if (!cache) {
    caches.set(db, (cache = new Map()));
    allCaches.add(new WeakRef(cache));
  }
  const hit = cache.get(id);
  const now = Date.now();
  if (hit && hit.until > now) return hit.principal;
  const principal = await findPrincipal(db, id);
  if (principal) cache.set(id, { principal, until: now + CACHE_MS });
  else cache.delete(id);
  if (cache.size > 10_000) cache.clear();
  return principal;
}
