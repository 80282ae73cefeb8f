import type { Queryable } from '../store/database.ts';
import type { Vault } from './vault.ts';

/**
 * Refuses to start a relay whose VAULT_KEY is not the one this database's tokens were issued with:
 * its merchants would be told that real tokens were "never issued by this relay". The first relay on a
 * database records a keyed fingerprint of its key (not the key), and every later one must match it.
 */
export async function requireSameVaultKey(db: Queryable, vault: Vault): Promise<void> {
  const fingerprint = vault.hash('agentpay vault key fingerprint');
  await db.query(`INSERT INTO relay_facts (name, value) VALUES ('vault_key_fingerprint', $1) ON CONFLICT (name) DO NOTHING`, [fingerprint]);
  const [row] = await db.query<{ value: string }>(`SELECT value FROM relay_facts WHERE name = 'vault_key_fingerprint'`);
  if (row!.value !== fingerprint) {
    throw new Error('this database was set up with another VAULT_KEY: every relay sharing a database needs the same key (copy it from the first relay)');
  }
}
