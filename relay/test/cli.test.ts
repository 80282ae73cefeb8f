import { execFile } from 'node:child_process';
import type { Intent } from '@agentpay/protocol';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/cli.ts';
import { kebab } from '../src/cli/help.ts';
import { envName, RelayConfig } from '../src/config.ts';
import { cart, freshSchema, POSTGRES_URL, setMandate, setUpParties, startTestRelay } from './harness.ts';

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
  it('prints its help with every option: flag, environment variable, description and default', async () => {
    const { code, stdout } = await relay(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('relay ledger check');
    const defaults = RelayConfig.parse({});
    for (const option of Object.keys(RelayConfig.shape) as (keyof typeof RelayConfig.shape)[]) {
      const description = RelayConfig.shape[option].description;
      expect(description, option).toBeTruthy();
      const value = defaults[option];
      const block = new RegExp(`--${kebab(option)}\\b.*\\b${envName(option)}\\n\\s+(.*)`).exec(stdout);
      expect(block?.[1], option).toBe(`${description} (default: ${value === undefined ? 'unset' : String(value)})`);
    }
    expect(stdout).toMatch(/--http-port <value>\s+HTTP_PORT\n\s+HTTP API and wallet push channel\. \(default: 8787\)/);
  });

  it('prints the help of ledger check and of migrate', async () => {
    const ledger = await relay(['ledger', 'check', '--help']);
    expect(ledger.code).toBe(0);
    expect(ledger.stdout).toMatch(/^relay ledger check: /);
    expect(ledger.stdout).toContain('Exit status: 0 the ledger is right, 1 it has problems, 2 no relay data');
    const migrate = await relay(['migrate', '--help']);
    expect(migrate).toMatchObject({ code: 0, stdout: expect.stringMatching(/^relay migrate: /) });
  });

  it('refuses bad configuration naming the setting', async () => {
    const { code, stderr } = await relay(['--http-port', 'eighty']);
    expect(code).toBe(2);
    expect(stderr).toContain('HTTP_PORT (--http-port): must be a port number, 0 to 65535');
    expect(stderr).not.toContain('NaN');
  });

  it('refuses to check a folder with no relay data, and creates nothing there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
    try {
      const { code, stdout, stderr } = await relay(['ledger', 'check', '--data-dir', dataDir]);
      expect(code).toBe(2);
      expect(stderr).toContain(`no relay data in ${dataDir}; nothing was created`);
      expect(stdout).not.toContain('ledger ok');
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to check a PostgreSQL schema with no relay data, and creates nothing there', async () => {
    const schema = freshSchema();
    const { code, stderr } = await relay(['ledger', 'check', '--database-url', POSTGRES_URL, '--database-schema', schema]);
    expect(code).toBe(2);
    expect(stderr).toContain(`no relay data in schema "${schema}"`);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const { rows } = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    await client.end();
    expect(rows).toEqual([]);
  });

  it('checks the ledger of a data folder while its relay runs (by asking it) and after it stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
    try {
      const running = await startTestRelay('pglite', { inMemory: false, dataDir });
      try {
        const { wallet, agent, merchant } = await setUpParties(running);
        await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
        const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 40_00));
        await merchant.client.post('/v1/merchant/charges', { token: intent.token!.secret, amount: intent.amount });
        const during = await relay(['ledger', 'check', '--data-dir', dataDir]);
        expect(during.stderr).toBe('');
        expect(during.code).toBe(0);
        expect(during.stdout).toContain(`asked the relay running at ${running.httpUrl}`);
        expect(during.stdout).toMatch(/^\d+ journals/m);
        expect(during.stdout).toContain('ledger ok');
      } finally {
        await running.close();
      }
      const after = await relay(['ledger', 'check', '--data-dir', dataDir]);
      expect(after.code).toBe(0);
      expect(after.stdout).not.toContain('asked the relay');
      expect(after.stdout).toMatch(/^2 journals, \d+ entries$/m);
      expect(after.stdout).toContain('ledger ok');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses the admin route without the key the relay keeps in its folder', async () => {
    const running = await startTestRelay('pglite');
    try {
      const response = await fetch(new URL('/admin/ledger-check', running.httpUrl), { headers: { authorization: 'Bearer not-the-key-not-the-key-not-the-key-00' } });
      expect(response.status).toBe(401);
      expect(await fetch(new URL('/admin/ledger-check', running.httpUrl)).then((r) => r.status)).toBe(401);
    } finally {
      await running.close();
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
