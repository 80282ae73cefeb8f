import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Database, INT8_OID, parseInt8, type Queryable } from './database.ts';
import { storeFailure } from './unavailable.ts';

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Every wait on PostgreSQL is bounded, so that a lost or silent server, or
 * another relay's dead session holding a row, costs a request a 503 and never
 * a hang. All in milliseconds.
 */
export interface PostgresBounds {
  /** Opening a connection. */
  connectMs: number;
  /** Waiting for a free pooled connection when all are busy. */
  poolWaitMs: number;
  /** statement_timeout; the relay itself gives up on an unanswered statement a second later (a silent connection). */
  statementMs: number;
  /** lock_timeout: waiting for a row lock. */
  lockMs: number;
  /** idle_in_transaction_session_timeout: the server ends a session that went quiet mid-transaction, freeing its locks. */
  idleInTransactionMs: number;
  /** TCP keepalive after this much silence, on the relay's sockets and (tcp_keepalives_idle) the server's. */
  keepaliveMs: number;
}

export const DEFAULT_BOUNDS: PostgresBounds = {
  connectMs: 5_000, poolWaitMs: 30_000, statementMs: 10_000, lockMs: 3_000, idleInTransactionMs: 10_000, keepaliveMs: 10_000,
};
/** How much longer than statement_timeout the relay waits for an answer before calling the connection silent. */
const SILENCE_MARGIN_MS = 1_000;

export interface PostgresOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Schema to create and use, so that test runs and tenants never see each other's rows. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  bounds?: Partial<PostgresBounds>;
  /** Where dropped connections are reported; they are replaced on demand. */
  onConnectionError?: (error: Error) => void;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A real PostgreSQL through a connection pool. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema name "${schema}" must be lower-case letters, digits and underscores`);
  }
  const bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  // Session settings as startup options: a SET after connect could race the first query.
  const settings = {
    statement_timeout: Math.ceil(bounds.statementMs),
    lock_timeout: Math.ceil(bounds.lockMs),
    idle_in_transaction_session_timeout: Math.ceil(bounds.idleInTransactionMs),
    tcp_keepalives_idle: Math.max(1, Math.round(bounds.keepaliveMs / 1000)),
    tcp_keepalives_interval: Math.max(1, Math.round(bounds.keepaliveMs / 1000)),
    tcp_keepalives_count: 3,
    ...(schema ? { search_path: schema } : {}),
  };
  const connection: pg.PoolConfig = {
    connectionString: options.url,
    types,
    options: Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' '),
    keepAlive: true,
    keepAliveInitialDelayMillis: bounds.keepaliveMs,
    query_timeout: bounds.statementMs + SILENCE_MARGIN_MS,
  };
  /** pg-pool uses one timeout for opening a connection and for queueing for one; the client keeps its own. */
  class BoundedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: bounds.connectMs });
    }
  }
  const pool = new pg.Pool({ ...connection, Client: BoundedClient, max: options.poolSize ?? 10, connectionTimeoutMillis: bounds.poolWaitMs });
  // The health check gets a connection of its own, so that a full or stuck payment pool cannot make it lie or hang.
  const healthPool = new pg.Pool({
    ...connection, max: 1, connectionTimeoutMillis: bounds.connectMs, query_timeout: bounds.connectMs,
  });
  // An idle connection the server closed (restart, pg_terminate_backend, idle_session_timeout) is
  // reported here and dropped by the pool; without a listener Node would throw and end the relay.
  pool.on('error', onConnectionError);
  healthPool.on('error', onConnectionError);

  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (error) {
    await Promise.all([pool.end(), healthPool.end()]).catch(() => undefined);
    throw error;
  }

  // Queries with parameters become named prepared statements, so each connection parses
  // and plans them once instead of on every call (the benchmark's profile showed planning
  // as a fifth of an authorization's store time).
  const names = new Map<string, string>();
  const nameFor = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
    return name;
  };
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (params?.length
      ? await client.query({ name: nameFor(sql), text: sql, values: params })
      : await client.query(sql)
    ).rows as T[];

  return {
    engine: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        // A checked-out client has no pool listener: a connection lost between statements would
        // otherwise throw. Its next statement fails, and the client is thrown away below.
        let lost: Error | undefined;
        const onError = (error: Error) => {
          lost = error;
          onConnectionError(error);
        };
        client.on('error', onError);
        let broken = false;
        try {
          await client.query('BEGIN');
          const result = await work({ query: (sql, params) => run(client, sql, params) } satisfies Queryable);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // On a lost or silent connection a ROLLBACK would only wait: closing the socket rolls back,
          // and a server that cannot hear it ends the session after idle_in_transaction_session_timeout.
          broken = lost !== undefined || storeFailure(error) === 'connection';
          if (!broken) {
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
          }
          const code = (error as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
          throw error;
        } finally {
          client.off('error', onError);
          client.release(broken);
        }
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Connection terminated due to connection timeout')), bounds.connectMs);
      });
      const answer = healthPool.query('SELECT 1');
      answer.catch(() => undefined);
      try {
        await Promise.race([answer, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // A connection on a dead route may never confirm its close: the relay stops waiting after a bound.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([pool.end(), healthPool.end()]),
        new Promise<void>((ok) => {
          timer = setTimeout(ok, bounds.connectMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}
