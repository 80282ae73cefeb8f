import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startRelay } from '../src/relay.ts';
import { dropSchema, testConfig } from './harness.ts';

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
});
