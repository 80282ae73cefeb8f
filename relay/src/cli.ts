import { parseArgs } from 'node:util';
import { configFromEnv, envName, RelayConfig } from './config.ts';
import { kebab, LEDGER_CHECK_HELP, MIGRATE_HELP, OPTIONS, RELAY_HELP } from './cli/help.ts';
import { runLedgerCheck } from './cli/ledger-check.ts';
import { pairingLine, printNewPairingCodes } from './identity/pairing.ts';
import { openStore, startRelay } from './relay.ts';

/** Parses flags and environment into a validated config; flags win. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(OPTIONS.map((o) => [kebab(o), { type: o === 'inMemory' ? ('boolean' as const) : ('string' as const) }])),
    },
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const fromFlags = Object.fromEntries(OPTIONS.filter((o) => flags[kebab(o)] !== undefined).map((o) => [o, flags[kebab(o)]]));
  const parsed = RelayConfig.safeParse({ ...configFromEnv(env), ...fromFlags });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${envName(String(i.path[0]))} (--${kebab(String(i.path[0]))}): ${i.message}`);
    throw new Error(`invalid configuration:\n${problems.join('\n')}`);
  }
  return { config: parsed.data, positionals, help: values.help === true };
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseConfig(argv, process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\nRun "relay --help" for the options.\n`);
    return 2;
  }
  const { config, positionals, help } = parsed;
  const command = positionals.join(' ') || 'start';
  if (help) {
    process.stdout.write(command === 'ledger check' ? LEDGER_CHECK_HELP : command === 'migrate' ? MIGRATE_HELP : RELAY_HELP());
    return 0;
  }
  if (command === 'ledger check') {
    return runLedgerCheck(config, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
  }
  if (command === 'migrate') {
    const db = await openStore(config);
    await db.close();
    process.stdout.write('migrations applied\n');
    return 0;
  }
  if (command !== 'start') {
    process.stderr.write(`unknown command "${command}"\n\n${RELAY_HELP()}`);
    return 2;
  }
  const relay = await startRelay(config);
  process.stdout.write(
    [
      `relay      ${relay.httpUrl}  (OpenAPI: ${relay.httpUrl}/v1/openapi.json)`,
      `mqtt       ${relay.mqttUrl}${relay.mqttWsUrl ? `  (WebSocket: ${relay.mqttWsUrl})` : ''}`,
      `store      ${relay.ctx.db.engine}${config.databaseUrl ? '' : ` in ${config.dataDir}`}`,
      pairingLine(relay.ctx.pairing),
      '',
    ].join('\n'),
  );
  printNewPairingCodes(relay.ctx.pairing, (text) => process.stdout.write(text));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await relay.close();
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`relay: ${error.message}\n`);
      process.exit(1);
    },
  );
}
