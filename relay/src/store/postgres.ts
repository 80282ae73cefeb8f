import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Database, INT8_OID, parseInt8, type Queryable } from './database.ts';

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export interface PostgresOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Schema to create and use, so that test runs and tenants never see each other's rows. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
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
  // search_path as a startup option: a SET after connect could race the first query.
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Fail fast with a clear message when the server is not there.
  const probe = await pool.connect().catch((cause: Error) => {
    throw new Error(`cannot connect to PostgreSQL at ${redact(options.url)}: ${cause.message}`);
  });
  try {
    if (schema) await probe.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    probe.release();
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
        try {
          await client.query('BEGIN');
          const result = await work({ query: (sql, params) => run(client, sql, params) } satisfies Queryable);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
          throw error;
        } finally {
          client.release();
        }
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

function redact(url: string): string {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}
