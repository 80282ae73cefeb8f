import { envName, RelayConfig } from '../config.ts';

/** `httpPort` → `http-port`, the option's flag. */
export const kebab = (option: string) => option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** Every option of the relay, in the schema's order. */
export const OPTIONS = Object.keys(RelayConfig.shape) as (keyof typeof RelayConfig.shape)[];

/**
 * Each option with its flag, environment variable, description and default, all read from the
 * config schema (its `.describe()` and defaults), so the help cannot drift from what is parsed.
 */
export function optionsHelp(): string {
  const defaults = RelayConfig.parse({});
  const flag = (option: string) => (option === 'inMemory' ? `--${kebab(option)}` : `--${kebab(option)} <value>`);
  const width = Math.max(...OPTIONS.map((o) => flag(o).length)) + 2;
  return OPTIONS.map((option) => {
    const value = defaults[option];
    const shown = value === undefined ? 'unset' : String(value);
    return `  ${flag(option).padEnd(width)}${envName(option)}\n      ${RelayConfig.shape[option].description ?? ''} (default: ${shown})`;
  }).join('\n');
}

export const RELAY_HELP = () => `relay: authorization, tokenization and ledger for payments made by AI agents

Usage:
  relay [start] [options]          run the relay (HTTP API, MQTT for devices, wallet push) until Ctrl+C
  relay ledger check [options]     verify the ledger's invariants; "relay ledger check --help" says more
  relay migrate [options]          apply database migrations and exit
  relay [command] --help           this help, or the command's

With no options the relay runs on embedded defaults: PGlite in ./.data and an
embedded MQTT broker. Every option can also be set by its environment variable;
a flag wins over the variable.

Options (flag, environment variable, what it does, default):
${optionsHelp()}
`;

export const LEDGER_CHECK_HELP = `relay ledger check: verify the ledger's invariants

Usage:
  relay ledger check [--data-dir DIR | --database-url URL [--database-schema NAME]]

Checks that every journal balances, each token was charged at most once, charges
and refunds match the ledger, budgets were kept, and nothing was charged after
its agent was revoked; prints each problem found.

Where it looks: the embedded database in --data-dir (DATA_DIR, default .data),
or the PostgreSQL at --database-url (DATABASE_URL). A folder or schema with no
relay data is refused, and nothing is created there.

While a relay is running on that data folder, the check is run by that relay
(one process owns an embedded database): it finds the relay's address and admin
key in the folder's relay-admin.json, which the relay writes when it starts.

Exit status: 0 the ledger is right, 1 it has problems, 2 no relay data there or
bad options.
`;

export const MIGRATE_HELP = `relay migrate: apply the database migrations and exit

Usage:
  relay migrate [--data-dir DIR | --database-url URL [--database-schema NAME]]

Creates the store if it does not exist yet. The relay also migrates when it starts.
`;
