import { PGlite } from '@electric-sql/pglite';
import { type Database, INT8_OID, parseInt8, type Queryable } from './database.ts';

/**
 * Embedded PostgreSQL in this process. One connection: transactions run one
 * after another, so locks never wait here; correctness must not rely on that.
 *
 * @param dataDir folder that keeps the data across restarts; `undefined` keeps it in memory.
 */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const db = await PGlite.create({ dataDir, parsers: { [INT8_OID]: parseInt8 } });
  const query = async <T>(runner: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await runner.query<T>(sql, params)).rows;

  return {
    engine: 'pglite',
    query: (sql, params) => query(db, sql, params),
    transaction: (work) =>
      db.transaction((tx) => work({ query: (sql, params) => query(tx, sql, params) } satisfies Queryable)),
    ping: async () => {
      await db.query('SELECT 1');
    },
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
