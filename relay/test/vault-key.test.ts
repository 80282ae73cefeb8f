import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRelay } from '../src/relay.ts';
import { dropSchema, POSTGRES_URL, testConfig } from './harness.ts';

describe('relays sharing one PostgreSQL database', () => {
  it('refuses to start one whose VAULT_KEY differs from the key the database was set up with', async () => {
    const config = testConfig('postgres', { vaultKey: randomBytes(32).toString('base64url') });
    const first = await startRelay(config);
    try {
      await expect(startRelay({ ...config, vaultKey: randomBytes(32).toString('base64url') })).rejects.toThrow(/set up with another VAULT_KEY/);
      const second = await startRelay(config);
      await second.close();
    } finally {
      await dropSchema(first);
    }
  });

  it("refuses a PostgreSQL relay that would keep its pairing code in another relay's data folder, leaving that relay's code alone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-shared-folder-'));
    const embedded = await startRelay({ ...testConfig('pglite'), inMemory: false, dataDir, pairingCode: undefined });
    try {
      const shown = readFileSync(join(dataDir, 'pairing-code'), 'utf8');
      const config = testConfig('postgres', { inMemory: false, dataDir, pairingCode: undefined });
      await expect(startRelay(config)).rejects.toThrow(/another relay .* is using the data folder/);
      expect(readFileSync(join(dataDir, 'pairing-code'), 'utf8')).toBe(shown);
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`);
      await client.end();
    } finally {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
