import * as z from 'zod';

// Said in the user's words: "expected number, received NaN" is zod's, not theirs.
const port = z.coerce.number({ error: 'must be a port number, 0 to 65535 (0: any free port)' }).int({ error: 'must be a whole port number, 0 to 65535' }).min(0, { error: 'must be a port number, 0 to 65535' }).max(65535, { error: 'must be a port number, 0 to 65535' });
const seconds = z.coerce.number().positive();

/**
 * Everything the relay can be told, from flags or environment. With none of
 * it set, the relay runs on embedded defaults: PGlite in `.data/` and an
 * embedded MQTT broker, on ports that stay clear of a local Mosquitto (1883)
 * and PostgreSQL (5432). Each option's `.describe()` is its line in `relay --help`.
 */
export const RelayConfig = z.object({
  host: z.string().default('127.0.0.1').describe("Interface to listen on."),
  httpPort: port.default(8787).describe("HTTP API and wallet push channel."),
  mqttPort: port.default(18830).describe("Embedded broker's MQTT/TCP port (ignored with MQTT_URL)."),
  mqttWsPort: port.default(18831).describe("Embedded broker's MQTT over WebSocket port (ignored with MQTT_URL)."),
  mqttUrl: z.string().url().optional().describe("External MQTT 5 broker, e.g. mqtt://127.0.0.1:1883. Unset: start the embedded broker."),
  mqttUsername: z.string().optional().describe("User name of the relay's own client on an external broker."),
  mqttPassword: z.string().optional().describe("Password of the relay's own client on an external broker."),
  mqttShareGroup: z.string().regex(/^[A-Za-z0-9_-]+$/).default('agentpay-relay').describe("Shared-subscription group on an MQTT 5 broker, so several relays split the devices."),
  databaseUrl: z.string().optional().describe("External PostgreSQL, e.g. postgres://127.0.0.1:5432/test. Unset: embedded PGlite."),
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('agentpay').describe("Schema inside DATABASE_URL's database."),
  databaseConnectTimeoutSeconds: seconds.default(5).describe("PostgreSQL: longest wait to open a connection; then requests answer 503."),
  databasePoolWaitSeconds: seconds.default(30).describe("PostgreSQL: longest a request waits for a free pooled connection when all are busy."),
  databaseStatementTimeoutSeconds: seconds.default(10).describe("PostgreSQL: longest one statement may run (statement_timeout)."),
  databaseLockTimeoutSeconds: seconds.default(3).describe("PostgreSQL: longest a statement waits for a row lock another session holds (lock_timeout)."),
  databaseIdleInTransactionTimeoutSeconds: seconds.default(10).describe("PostgreSQL: the server ends a session idle inside a transaction this long, freeing its row locks."),
  databaseKeepaliveSeconds: seconds.default(10).describe("PostgreSQL: TCP keepalive probes start after this much silence."),
  databaseStartTimeoutSeconds: seconds.default(60).describe("PostgreSQL: how long a starting relay keeps retrying an unreachable server before it gives up."),
  publicUrl: z.string().url().optional().describe("The relay's URL as agents and merchants reach it, named in agents' signed requests (Signature-Agent). Unset: the URL each request came to."),
  dataDir: z.string().default('.data').describe("Folder for the embedded database, the vault key and the pairing code."),
  inMemory: z.union([z.boolean(), z.stringbool()]).default(false).describe("Keeps the embedded database in memory (tests)."),
  vaultKey: z.string().optional().describe("HMAC key of the token vault (base64url, 32 bytes). Unset: made once in DATA_DIR."),
  pairingCode: z.string().min(6).optional().describe("Fixed code a wallet presents to pair (tests, scripts). Unset: a new single-use code, printed."),
  pairingCodeTtlSeconds: seconds.default(15 * 60).describe("How long a pairing code the relay made stays valid."),
  tokenTtlSeconds: seconds.default(15 * 60).describe("How long a single-use token stays valid."),
  confirmTtlSeconds: seconds.default(5 * 60).describe("How long a held intent waits for the user's answer."),
  maxIntentAgeSeconds: seconds.default(10 * 60).describe("Intents created longer ago than this are refused as stale."),
  riskMaxIntentsPerMinute: z.coerce.number().int().positive().default(30).describe("Risk: more intents than this from one agent within a minute go to confirmation."),
  riskAmountFactor: z.coerce.number().positive().default(10).describe("Risk: an amount this many times the agent's median goes to confirmation."),
  maxBodyBytes: z.coerce.number().int().positive().default(64 * 1024).describe("Largest HTTP request body in bytes; a larger one is refused with 413."),
  mqttMaxPacketBytes: z.coerce.number().int().positive().default(256 * 1024).describe("Largest MQTT packet in bytes the embedded broker accepts; a larger one closes the connection."),
  riskSpendFactor: z.coerce.number().positive().default(5).describe("Risk: an hour's spend this many times the agent's typical hour goes to confirmation."),
  cardRefusalsPerMinute: z.coerce.number().int().positive().default(20).describe("Card charges naming no card of the merchant's own it may make a minute before the rest are refused with 429."),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info').describe("Least severe log line written: trace, debug, info, warn, error or silent."),
  logFormat: z.enum(['auto', 'pretty', 'json']).default('auto').describe("Log lines as readable text (pretty), JSON, or auto: readable on a terminal, JSON otherwise."),
});
export type RelayConfig = z.infer<typeof RelayConfig>;
export type RelayConfigInput = z.input<typeof RelayConfig>;

/** Environment variable for each option: httpPort ← HTTP_PORT. */
export function envName(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** Reads options from the environment; unset and empty variables are left out. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of Object.keys(RelayConfig.shape)) {
    const value = env[envName(option)];
    if (value !== undefined && value !== '') out[option] = value;
  }
  return out;
}
