import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/cli.ts';

const run = promisify(execFile);
const RELAY = join(import.meta.dirname, '..', 'bin', 'relay.js');

async function relay(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [RELAY, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('relay command', () => {
  it('prints its help with every option and its environment variable', async () => {
    const { code, stdout } = await relay(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('relay ledger check');
    expect(stdout).toMatch(/--database-url\s+DATABASE_URL/);
    expect(stdout).toMatch(/--mqtt-url\s+MQTT_URL/);
  });

  it('refuses bad configuration naming the setting', async () => {
    const { code, stderr } = await relay(['--http-port', 'eighty']);
    expect(code).toBe(2);
    expect(stderr).toContain('HTTP_PORT (--http-port)');
  });

  it('checks the ledger of a data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
    try {
      const { code, stdout } = await relay(['ledger', 'check', '--data-dir', dataDir]);
      expect(code).toBe(0);
      expect(stdout).toContain('ledger ok');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--http-port', '9000'], {}, { httpPort: 9000 }],
    [[], { HTTP_PORT: '9001', DATABASE_URL: 'postgres://db/x' }, { httpPort: 9001, databaseUrl: 'postgres://db/x' }],
    [['--http-port', '9002'], { HTTP_PORT: '9001' }, { httpPort: 9002 }],
    [['--in-memory'], {}, { inMemory: true }],
    [[], { IN_MEMORY: 'true' }, { inMemory: true }],
  ])('reads %j with env %j', (argv, env, expected) => {
    expect(parseConfig(argv, env).config).toMatchObject(expected);
  });
});
