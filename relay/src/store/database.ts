/**
 * The one interface the relay's SQL goes through, so that the same queries
 * and migrations run on embedded PGlite and on a real PostgreSQL.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  /** Which engine is underneath, for logs and benchmarks. */
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled
   * back when it throws. On PostgreSQL a serialization failure or deadlock
   * is retried, so `work` must be safe to run again.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Resolves when the store answers, and throws when it does not within a short bound. On
   * PostgreSQL it uses a connection of its own, so a busy payment pool cannot hold it up.
   */
  ping(): Promise<void>;
  /** Runs several statements at once (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** int8 columns hold minor units far below 2^53, so numbers are safe and simpler than strings. */
export const INT8_OID = 20;
export const parseInt8 = (value: string): number => Number(value);
