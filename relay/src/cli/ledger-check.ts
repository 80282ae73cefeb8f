import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { LEDGER_CHECK_PATH, readAdminFile } from '../admin/local-admin.ts';
import type { RelayConfig } from '../config.ts';
import { checkLedger, type LedgerReport } from '../ledger/check.ts';
import { openStore } from '../relay.ts';
import { redact } from '../store/postgres.ts';

/** `relay ledger check` exits 2 when there is nothing to check, as for bad options. */
export const NO_RELAY_DATA = 2;

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Checks the ledger where the relay keeps its data, and never makes a database where there is none.
 * An embedded database held by a running relay is checked by that relay (its local admin route),
 * since only one process may open it.
 */
export async function runLedgerCheck(config: RelayConfig, io: Output): Promise<number> {
  if (config.inMemory) {
    io.err('relay ledger check: an in-memory relay keeps no data to check; point it at a data folder (--data-dir) or a database (--database-url)\n');
    return NO_RELAY_DATA;
  }
  if (config.databaseUrl) {
    if (!(await postgresHasRelayData(config.databaseUrl, config.databaseSchema))) {
      io.err(`relay ledger check: no relay data in schema "${config.databaseSchema}" of ${redact(config.databaseUrl)}; nothing was created. Check DATABASE_URL and DATABASE_SCHEMA.\n`);
      return NO_RELAY_DATA;
    }
    return printReport(await checkStore(config), io);
  }
  const dir = resolve(config.dataDir);
  if (!existsSync(join(dir, 'pgdata', 'PG_VERSION'))) {
    io.err(`relay ledger check: no relay data in ${dir}; nothing was created. Run it where the relay keeps its data (npm start uses .data at the repository root) or name the folder with --data-dir.\n`);
    return NO_RELAY_DATA;
  }
  const running = readAdminFile(dir);
  const asked = running && (await askRunningRelay(running.url, running.key));
  if (asked) {
    io.out(`asked the relay running at ${running.url} (it holds ${dir})\n`);
    return printReport(asked, io);
  }
  return printReport(await checkStore(config), io);
}

async function checkStore(config: RelayConfig): Promise<LedgerReport> {
  const db = await openStore({ ...config, logLevel: 'warn' });
  try {
    return await checkLedger(db);
  } finally {
    await db.close();
  }
}

/** The running relay's own check; undefined when no relay answers there (it crashed and left its file). */
async function askRunningRelay(url: string, key: string): Promise<LedgerReport | undefined> {
  try {
    const response = await fetch(new URL(LEDGER_CHECK_PATH, url), { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(60_000) });
    return response.ok ? ((await response.json()) as LedgerReport) : undefined;
  } catch {
    return undefined;
  }
}

async function postgresHasRelayData(url: string, schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`${schema}.ledger_entries`]);
    return rows[0]?.present === true;
  } finally {
    await client.end();
  }
}

function printReport(report: LedgerReport, io: Output): number {
  io.out(`${report.journals} journals, ${report.entries} entries\n`);
  for (const p of report.problems) io.out(`FAIL ${p.check}: ${p.detail}\n`);
  io.out(report.ok ? `ledger ok: ${report.checks.join('; ')}\n` : 'ledger has problems\n');
  return report.ok ? 0 : 1;
}
