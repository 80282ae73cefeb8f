import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomString } from '@agentpay/protocol';
import { newVaultKey } from './vault/vault.ts';

/**
 * The vault key and the pairing code: taken from configuration when given,
 * otherwise created once in the data folder (readable by the owner only) so
 * that tokens and pairings survive a restart.
 */
export function loadSecrets(options: { dataDir: string; persist: boolean; vaultKey?: string; pairingCode?: string }) {
  const read = (name: string, create: () => string) => {
    if (!options.persist) return create();
    const path = join(options.dataDir, name);
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    mkdirSync(options.dataDir, { recursive: true });
    const value = create();
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return value;
  };
  const vaultKey = Buffer.from(options.vaultKey ?? read('vault.key', newVaultKey), 'base64url');
  if (vaultKey.length < 32) throw new Error('VAULT_KEY must be 32 bytes, base64url-encoded');
  const pairingCode = options.pairingCode ?? read('pairing-code', () => randomString(8).toUpperCase());
  return { vaultKey, pairingCode };
}
