import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newVaultKey } from './vault/vault.ts';

/**
 * The vault key: taken from configuration when given, otherwise created once
 * in the data folder (readable by the owner only) so that tokens survive a
 * restart.
 */
export function loadSecrets(options: { dataDir: string; persist: boolean; vaultKey?: string }) {
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
  return { vaultKey };
}

/**
 * Writes the relay's current pairing code to `pairing-code` in the data
 * folder (owner only), where `npm run demo:agent` and the device simulator
 * read it; rewritten on every new code.
 */
export function savePairingCode(dataDir: string, code: string): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'pairing-code');
  writeFileSync(path, `${code}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
