import { ProtocolError } from '@agentpay/protocol';

/**
 * How the store failed, when the failure is the store's and not the
 * request's: `connection` means the connection is gone or cannot be trusted
 * (closed, reset, silent, never opened) and must be thrown away; `timeout`
 * means the server gave up on a statement (statement or lock timeout) on a
 * connection that is still fine. Either way the request can be sent again later.
 */
export type StoreFailure = 'connection' | 'timeout';

/** SQLSTATEs of a connection the server ended or refused: class 08, and the operator intervention codes. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '53300']);
/** SQLSTATEs of a statement the server gave up on: statement_timeout (query_canceled), lock_timeout. */
const TIMEOUT_SQLSTATES = new Set(['57014', '55P03']);
/** Socket errors of a connection that could not be opened or was lost. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTCONN',
]);
/** What node-postgres and its pool say, without a code, when a connection is lost, silent or cannot be had. */
const LOST_MESSAGES = [
  /^Connection terminated/, // "Connection terminated", "… unexpectedly", "… due to connection timeout"
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/, // the pool had no free connection in time
  /^timeout expired$/, // the client's own connection timeout
  /is not queryable$/, // "Client has encountered a connection error and is not queryable", "Client was closed …"
  /^Cannot use a pool after calling end on the pool$/,
];

/** Classifies an error thrown by a store call; undefined when it is not the store's failure (a bug, a constraint). */
export function storeFailure(error: unknown): StoreFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code)) return 'connection';
    if (TIMEOUT_SQLSTATES.has(code)) return 'timeout';
  }
  if (LOST_MESSAGES.some((pattern) => pattern.test(error.message))) return 'connection';
  if (error.cause !== undefined && storeFailure(error.cause) === 'connection') return 'connection';
  if (error instanceof AggregateError) {
    // A host name with several addresses fails with one error per address.
    return error.errors.some((e) => storeFailure(e) === 'connection') ? 'connection' : undefined;
  }
  return undefined;
}

/**
 * The answer a client gets when the store is unreachable or too slow: 503
 * `store_unavailable`, to send the same request again later. A connection
 * lost during COMMIT leaves it unknown whether the change was kept, so the
 * answer does not promise that nothing changed: the same Idempotency-Key
 * makes the retry safe either way. Undefined for any other error.
 */
export function storeUnavailable(error: unknown): ProtocolError | undefined {
  if (error instanceof ProtocolError) return undefined;
  const failure = storeFailure(error);
  if (!failure) return undefined;
  const why = failure === 'timeout' ? 'the database did not answer in time' : 'the database cannot be reached';
  return new ProtocolError(
    'store_unavailable',
    `${why}; send the same request again later (with the same Idempotency-Key a change takes effect at most once)`,
    503,
  );
}

/**
 * Runs `open` until it succeeds, retrying with growing pauses (up to 5 s)
 * while the store cannot be reached, for at most `forMs`; each failure is
 * logged, so that an operator sees why the relay is not serving yet. Any
 * other error, or the last one, is thrown.
 */
export async function retryWhileUnreachable<T>(
  what: string,
  forMs: number,
  log: { warn(fields: object, message: string): void },
  open: () => Promise<T>,
): Promise<T> {
  const giveUpAt = Date.now() + forMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      return await open();
    } catch (error) {
      const failure = storeFailure(error);
      const left = giveUpAt - Date.now();
      if (!failure || left <= 0) {
        throw new Error(`cannot connect to ${what}: ${(error as Error).message}`, { cause: error });
      }
      const wait = Math.min(pause, left);
      log.warn({ err: error, retryInMs: wait, giveUpInMs: left }, `${what} cannot be reached; retrying`);
      await new Promise((ok) => setTimeout(ok, wait));
    }
  }
}
