import type {
  Category,
  Merchant, MerchantRegistered, MerchantRegistration, MerchantWithKey, OriginCheck, PublicJwk, Wallet, WalletRegistration,
} from '@agentpay/protocol';
import { canonicalize, newId, ProtocolError } from '@agentpay/protocol';
import { nameSkeleton } from '../merchant/lookalike.ts';
import type { Queryable } from '../store/database.ts';
import { checkPasskey } from '../wallet/step-up.ts';
import { samePairingCode } from './pairing.ts';
import { thumbprint } from './thumbprint.ts';

/**
 * Pairs a wallet with this relay; the pairing code proves the user runs it.
 * A passkey and step-up thresholds may come with it. Registering the same key
 * again answers the existing wallet, but cannot change its passkey or
 * thresholds: that needs PUT /v1/wallet/passkey and /v1/wallet/step-up.
 */
export async function registerWallet(tx: Queryable, input: WalletRegistration, pairingCode: string): Promise<Wallet> {
  if (!samePairingCode(input.pairingCode, pairingCode)) {
    throw new ProtocolError('forbidden', 'the pairing code is wrong: use the one the relay printed when it started', 403);
  }
  if (input.passkey) checkPasskey(input.passkey);
  const passkey = input.passkey ?? null;
  const thresholds = input.stepUp?.thresholds ?? [];
  const print = await thumbprint(input.publicKey);
  const [existing] = await tx.query<{ id: string; name: string; created_at: Date; passkey: unknown; step_up_thresholds: unknown; unpaired_at: Date | null }>(
    'SELECT id, name, created_at, passkey, step_up_thresholds, unpaired_at FROM wallets WHERE key_thumbprint = $1',
    [print],
  );
  if (existing?.unpaired_at) {
    throw new ProtocolError('invalid_request', `wallet ${existing.id} was unpaired and its key retired: pair with a new key`, 409, [{ path: 'publicKey', message: 'belongs to an unpaired wallet' }]);
  }
  if (existing) {
    const changes = (input.passkey && canonicalize(passkey) !== canonicalize(existing.passkey)) || (input.stepUp && canonicalize(thresholds) !== canonicalize(existing.step_up_thresholds));
    if (changes) {
      throw new ProtocolError('invalid_request', `wallet ${existing.id} is already registered with this key; change its passkey with PUT /v1/wallet/passkey and its thresholds with PUT /v1/wallet/step-up`, 409);
    }
    return { id: existing.id, name: existing.name, createdAt: existing.created_at.toISOString() };
  }
  const [row] = await tx.query<{ id: string; name: string; created_at: Date }>(
    `INSERT INTO wallets (id, name, public_jwk, key_thumbprint, passkey, step_up_thresholds) VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6::jsonb)
     RETURNING id, name, created_at`,
    [newId('wallet'), input.name, JSON.stringify(input.publicKey), print, passkey ? JSON.stringify(passkey) : null, JSON.stringify(thresholds)],
  );
  return { id: row!.id, name: row!.name, createdAt: row!.created_at.toISOString() };
}

/**
 * Merchants sign up with their key and the origins they sell from. `checks` are the
 * proofs fetched for those origins before the transaction (see merchant/origin-proof.ts):
 * only proven origins count. Registering again with the same key replaces the name,
 * origins and proofs, so a change of origins is proven again.
 */
export async function registerMerchant(
  tx: Queryable,
  input: MerchantRegistration,
  checks: OriginCheck[],
  checkedAt: Date,
): Promise<MerchantRegistered> {
  const print = await thumbprint(input.publicKey);
  const origins = claimedOrigins(input);
  const proven = checks.filter((c) => c.proven && origins.includes(c.origin)).map((c) => c.origin);
  const [row] = await tx.query<MerchantRow>(
    `INSERT INTO merchants (id, name, public_jwk, key_thumbprint, origins, mcc, proven_origins, origins_checked_at, name_skeleton, currency, category)
     VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7::jsonb, $8, $9, $10, $11)
     ON CONFLICT (key_thumbprint) DO UPDATE SET name = EXCLUDED.name, origins = EXCLUDED.origins, mcc = EXCLUDED.mcc, currency = EXCLUDED.currency, category = EXCLUDED.category,
       proven_origins = EXCLUDED.proven_origins, origins_checked_at = EXCLUDED.origins_checked_at, name_skeleton = EXCLUDED.name_skeleton
     RETURNING ${MERCHANT_COLUMNS}`,
    [newId('merchant'), input.name, JSON.stringify(input.publicKey), print, JSON.stringify(origins), input.mcc ?? null,
      JSON.stringify(proven), checkedAt, nameSkeleton(input.name), input.currency ?? null, input.category ?? null],
  );
  return { ...toMerchant(row!), originChecks: checks };
}

/** The registration's origins, normalised, each once. */
export function claimedOrigins(input: MerchantRegistration): string[] {
  return [...new Set(input.origins.map((o) => normaliseOrigin(o)!))];
}

/**
 * Records a fresh check of the merchant's claimed origins. An origin the merchant
 * dropped meanwhile stays dropped: only origins still claimed can be proven.
 */
export async function recordOriginChecks(tx: Queryable, merchantId: string, checks: OriginCheck[], checkedAt: Date): Promise<MerchantRegistered> {
  const proven = checks.filter((c) => c.proven).map((c) => c.origin);
  const [row] = await tx.query<MerchantRow>(
    `UPDATE merchants SET origins_checked_at = $3,
       proven_origins = (SELECT COALESCE(jsonb_agg(o), '[]'::jsonb) FROM jsonb_array_elements(origins) o WHERE $2::jsonb @> jsonb_build_array(o))
     WHERE id = $1 RETURNING ${MERCHANT_COLUMNS}`,
    [merchantId, JSON.stringify(proven), checkedAt],
  );
  if (!row) throw new ProtocolError('unknown_merchant', `merchant "${merchantId}" is not registered with this relay`, 404);
  return { ...toMerchant(row), originChecks: checks };
}

/** A merchant with its public key, so a wallet can verify what it signed (e.g. a payment code). */
export async function getMerchant(db: Queryable, id: string): Promise<MerchantWithKey> {
  const [row] = await db.query<MerchantRow & { public_jwk: PublicJwk }>(
    `SELECT ${MERCHANT_COLUMNS}, public_jwk FROM merchants WHERE id = $1`,
    [id],
  );
  if (!row) throw new ProtocolError('unknown_merchant', `merchant "${id}" is not registered with this relay`, 404);
  const { kty, crv, x, y } = row.public_jwk;
  return { ...toMerchant(row), publicKey: { kty, crv, x, y } };
}

/**
 * The merchants that proved this origin, compared after URL normalisation. A merchant
 * that only claims it is not among them, so a squatter cannot make a shop's checkouts ambiguous.
 */
export async function merchantsAtOrigin(db: Queryable, origin: string): Promise<Merchant[]> {
  const normalised = normaliseOrigin(origin);
  if (!normalised) throw new ProtocolError('invalid_request', `origin "${origin}" is not an http(s) origin such as http://127.0.0.1:8788`, 400, [{ path: 'origin', message: 'not an http(s) origin' }]);
  const rows = await db.query<MerchantRow>(
    `SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE proven_origins @> $1::jsonb ORDER BY created_at`,
    [JSON.stringify([normalised])],
  );
  return rows.map(toMerchant);
}

/** scheme://host[:port] as browsers write it (lower case, default port dropped), or null for anything else. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

const MERCHANT_COLUMNS = 'id, name, origins, proven_origins, mcc, currency, category, created_at';

interface MerchantRow {
  id: string;
  name: string;
  origins: string[];
  proven_origins: string[];
  mcc: string | null;
  currency: string | null;
  category: Category | null;
  created_at: Date;
}

function toMerchant(row: MerchantRow): Merchant {
  return {
    id: row.id, name: row.name, origins: row.origins, provenOrigins: row.proven_origins, mcc: row.mcc, currency: row.currency, category: row.category, createdAt: new Date(row.created_at).toISOString(),
  };
}

