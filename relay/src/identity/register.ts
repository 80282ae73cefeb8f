import type { Merchant, MerchantRegistration, Wallet, WalletRegistration } from '@agentpay/protocol';
import { newId, ProtocolError } from '@agentpay/protocol';
import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/database.ts';
import { thumbprint } from './thumbprint.ts';

/** Pairs a wallet with this relay; the pairing code proves the user runs it. */
export async function registerWallet(tx: Queryable, input: WalletRegistration, pairingCode: string): Promise<Wallet> {
  if (!sameSecret(input.pairingCode, pairingCode)) {
    throw new ProtocolError('forbidden', 'the pairing code is wrong: use the one the relay printed when it started', 403);
  }
  const print = await thumbprint(input.publicKey);
  const [existing] = await tx.query<{ id: string; name: string; created_at: Date }>('SELECT id, name, created_at FROM wallets WHERE key_thumbprint = $1', [print]);
  if (existing) return { id: existing.id, name: existing.name, createdAt: existing.created_at.toISOString() };
  const [row] = await tx.query<{ id: string; name: string; created_at: Date }>(
    'INSERT INTO wallets (id, name, public_jwk, key_thumbprint) VALUES ($1, $2, $3::jsonb, $4) RETURNING id, name, created_at',
    [newId('wallet'), input.name, JSON.stringify(input.publicKey), print],
  );
  return { id: row!.id, name: row!.name, createdAt: row!.created_at.toISOString() };
}

/** Merchants sign up with their key and the origins they sell from. */
export async function registerMerchant(tx: Queryable, input: MerchantRegistration): Promise<Merchant> {
  const print = await thumbprint(input.publicKey);
  const origins = input.origins.map((o) => new URL(o).origin);
  const [row] = await tx.query<{ id: string; name: string; origins: string[]; mcc: string | null; created_at: Date }>(
    `INSERT INTO merchants (id, name, public_jwk, key_thumbprint, origins, mcc) VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6)
     ON CONFLICT (key_thumbprint) DO UPDATE SET name = EXCLUDED.name, origins = EXCLUDED.origins, mcc = EXCLUDED.mcc
     RETURNING id, name, origins, mcc, created_at`,
    [newId('merchant'), input.name, JSON.stringify(input.publicKey), print, JSON.stringify(origins), input.mcc ?? null],
  );
  return { id: row!.id, name: row!.name, origins: row!.origins, mcc: row!.mcc, createdAt: row!.created_at.toISOString() };
}

export async function getMerchant(db: Queryable, id: string): Promise<Merchant> {
  const [row] = await db.query<{ id: string; name: string; origins: string[]; mcc: string | null; created_at: Date }>(
    'SELECT id, name, origins, mcc, created_at FROM merchants WHERE id = $1',
    [id],
  );
  if (!row) throw new ProtocolError('unknown_merchant', `merchant "${id}" is not registered with this relay`, 404);
  return { id: row.id, name: row.name, origins: row.origins, mcc: row.mcc, createdAt: row.created_at.toISOString() };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
