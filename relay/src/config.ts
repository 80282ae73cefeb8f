import * as z from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();

/**
 * Everything the relay can be told, from flags or environment. With none of
 * it set, the relay runs on embedded defaults: PGlite in `.data/` and an
 * embedded MQTT broker, on ports that stay clear of a local Mosquitto (1883)
 * and PostgreSQL (5432).
 */
export const RelayConfig = z.object({
  /** Interface to listen on. */
  host: z.string().default('127.0.0.1'),
  /** HTTP API and wallet push channel. */
  httpPort: port.default(8787),
  /** Embedded broker's MQTT/TCP port (ignored with MQTT_URL). */
  mqttPort: port.default(18830),
  /** Embedded broker's MQTT over WebSocket port (ignored with MQTT_URL). */
  mqttWsPort: port.default(18831),
  /** External MQTT 5 broker, e.g. mqtt://127.0.0.1:1883. Unset: start the embedded broker. */
  mqttUrl: z.string().url().optional(),
  /** Credentials of the relay's own client on an external broker. */
  mqttUsername: z.string().optional(),
  mqttPassword: z.string().optional(),
  /** Shared-subscription group on an MQTT 5 broker, so several relays split the device load. */
  mqttShareGroup: z.string().regex(/^[A-Za-z0-9_-]+$/).default('agentpay-relay'),
  /** External PostgreSQL, e.g. postgres://127.0.0.1:5432/test. Unset: embedded PGlite. */
  databaseUrl: z.string().optional(),
  /** Schema inside DATABASE_URL's database. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('agentpay'),
  /** PostgreSQL: longest wait to open a connection (a dead or unreachable server answers 503 after this). */
  databaseConnectTimeoutSeconds: seconds.default(5),
  /** PostgreSQL: longest a request waits for a free pooled connection when all are busy. */
  databasePoolWaitSeconds: seconds.default(30),
  /** PostgreSQL: longest one statement may run (statement_timeout); the relay gives up on a silent connection a second later. */
  databaseStatementTimeoutSeconds: seconds.default(10),
  /** PostgreSQL: longest a statement waits for a row lock another session holds (lock_timeout). */
  databaseLockTimeoutSeconds: seconds.default(3),
  /**
   * PostgreSQL: a session idle inside a transaction this long is ended by the server
   * (idle_in_transaction_session_timeout), so a relay that died mid-transaction frees its row locks.
   */
  databaseIdleInTransactionTimeoutSeconds: seconds.default(10),
  /** PostgreSQL: TCP keepalive probes start after this much silence, on the relay's sockets and the server's. */
  databaseKeepaliveSeconds: seconds.default(10),
  /** PostgreSQL: how long a starting relay keeps retrying an unreachable server before it gives up. */
  databaseStartTimeoutSeconds: seconds.default(60),
  /** Folder for the embedded database and the vault key. */
  dataDir: z.string().default('.data'),
  /** Keeps the embedded database in memory (tests). */
  inMemory: z.union([z.boolean(), z.stringbool()]).default(false),
  /** HMAC key of the token vault (base64url, 32 bytes). Unset: created once in dataDir. */
  vaultKey: z.string().optional(),
  /**
   * Code a wallet must present to pair with this relay, kept as given (tests, scripted setups).
   * Unset: the relay makes its own, good for one pairing and `pairingCodeTtlSeconds`, and prints each new one.
   */
  pairingCode: z.string().min(6).optional(),
  /** How long a pairing code the relay made stays valid. */
  pairingCodeTtlSeconds: seconds.default(15 * 60),
  /** How long a single-use token stays valid. */
  tokenTtlSeconds: seconds.default(15 * 60),
  /** How long a held intent waits for the user's answer. */
  confirmTtlSeconds: seconds.default(5 * 60),
  /** Intents created longer ago than this are refused as stale. */
  maxIntentAgeSeconds: seconds.default(10 * 60),
  /** Risk: more intents than this from one agent within a minute go to confirmation. */
  riskMaxIntentsPerMinute: z.coerce.number().int().positive().default(30),
  /** Risk: an amount this many times the agent's median goes to confirmation. */
  riskAmountFactor: z.coerce.number().positive().default(10),
  /** Largest HTTP request body in bytes; a larger one is refused with 413 before it is read whole. */
  maxBodyBytes: z.coerce.number().int().positive().default(64 * 1024),
  /** Largest MQTT packet in bytes the embedded broker accepts, CONNECT first; a larger one closes the connection. */
  mqttMaxPacketBytes: z.coerce.number().int().positive().default(256 * 1024),
  /** Risk: spend in the last hour above this many times the agent's typical hour goes to confirmation. */
  riskSpendFactor: z.coerce.number().positive().default(5),
  /**
   * Card charges a merchant may have refused for naming no card of its own (never issued, or another
   * merchant's) per minute, before its card charges are refused with 429 for the rest of the minute:
   * issued card numbers cannot be told from unissued ones by trying.
   */
  cardRefusalsPerMinute: z.coerce.number().int().positive().default(20),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
