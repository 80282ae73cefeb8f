/**
 * `npm run bench [-- suite ...]`: runs the benchmark suites (all by default),
 * writes bench/results/<suite>.json (an array of {name, unit, value, floor?, ratio?})
 * and prints each suite's table with its notes.
 *
 * Environment: BENCH_QUICK=1 for a smoke run; see bench/lib/config.ts for the rest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './lib/config.ts';
import { formatTable, type Row } from './lib/stats.ts';
import type { Suite } from './lib/suite.ts';

/** Suites in the order they run. */
const SUITES: Record<string, () => Promise<Suite>> = {
  relay: async () => (await import('./relay.ts')).suite,
  usage: async () => (await import('./usage.ts')).suite,
  extension: async () => (await import('./extension.ts')).suite,
  device: async () => (await import('./device.ts')).suite,
};

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((name) => !(name in SUITES));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
    return 2;
  }
  const names = wanted.length > 0 ? wanted : Object.keys(SUITES);
  const config = loadConfig();
  mkdirSync(resultsDir, { recursive: true });
  const started = performance.now();
  console.error(`bench: ${names.join(', ')}${config.quick ? ' (BENCH_QUICK)' : ''}; ${JSON.stringify(config)}`);

  let failed = false;
  for (const name of names) {
    const suite = await SUITES[name]!();
    const notes: string[] = [];
    const t0 = performance.now();
    let rows: Row[];
    try {
      rows = await suite.run({
        config,
        resultsDir,
        log: (message) => console.error(`[${name} ${((performance.now() - t0) / 1000).toFixed(1)}s] ${message}`),
        note: (message) => {
          notes.push(message);
          // Printed as it comes too: a suite stopped later (a hung step) still leaves what it measured.
          console.log(`[${name}] ${message}`);
        },
      });
    } catch (error) {
      failed = true;
      console.error(`suite ${name} failed:`, error);
      continue;
    }
    const file = `${resultsDir}${name}.json`;
    writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`\n== ${name}: ${suite.description} (${((performance.now() - t0) / 1000).toFixed(1)} s) -> ${file}\n`);
    console.log(formatTable(rows));
    if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
  }
  console.error(`\nbench done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failed ? 1 : 0;
}

const code = await main();
process.exitCode = code;
// Everything should be closed by now; if the process lingers, say what keeps it alive instead of hanging silently.
setTimeout(() => {
  console.error('bench: still running 5 s after finishing; open handles:', process.getActiveResourcesInfo());
  process.exit(code || 1);
}, 5000).unref();
