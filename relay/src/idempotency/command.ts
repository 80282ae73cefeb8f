import { ErrorBody, isErrorCode, ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { nonceExpiry, replayed } from '../identity/verify.ts';
import type { Queryable } from '../store/database.ts';

/** What a state-changing request carries besides its body. */
export interface CommandMeta {
  /** Who asked; idempotency keys are scoped to them. */
  principal: string;
  /** Required for every state change; the same key and body replay the first answer. */
  idempotencyKey: string | undefined;
  /** Hash of what was asked (method, path, body): the same key with another body is an error. */
  requestHash: string;
  /** The signature's nonce, consumed in the same transaction as the work. */
  nonce: string;
}

export interface CommandResult {
  status: number;
  body: unknown;
}

/** Work done inside the transaction; events pushed to `outbox` go out only after commit. */
export type CommandWork = (tx: Queryable, outbox: RelayEvent[]) => Promise<CommandResult>;

const UNIQUE_VIOLATION = '23505';

/**
 * A refusal that must still leave a trace, e.g. counting a wrong CVC. `effect`
 * runs in the SAME transaction as the work, which then commits with the
 * refusal stored for the idempotency key. Because the row locks the work took
 * are held until that commit, the next request waiting on them sees the trace:
 * a wrong CVC is counted before any other guess at the same token is judged.
 * Throw it only before the work has written anything it would not keep.
 */
export class RefusalWithEffect extends ProtocolError {
  constructor(
    refusal: ProtocolError,
    readonly effect: (tx: Queryable, outbox: RelayEvent[]) => Promise<void>,
  ) {
    super(refusal.code, refusal.message, refusal.status, refusal.details);
  }
}

/**
 * Runs a state change exactly once per idempotency key: the check, the work
 * and the stored answer share one transaction, so a crash leaves either all
 * of it or none. Two concurrent requests with one key: the second waits on
 * the first's key row, fails on it, and then replays the stored answer.
 */
export async function runCommand(
  ctx: RelayContext,
  meta: CommandMeta,
  work: CommandWork,
): Promise<CommandResult & { replayed: boolean }> {
  const key = meta.idempotencyKey;
  if (!key) throw new ProtocolError('idempotency_key_missing', 'state-changing requests need an Idempotency-Key (1 to 200 characters)', 400);
  if (key.length > 200) throw new ProtocolError('invalid_request', 'Idempotency-Key is longer than 200 characters', 400);

  for (let attempt = 0; ; attempt++) {
    const outbox: RelayEvent[] = [];
    try {
      const result = await ctx.db.transaction(async (tx) => {
        // PostgreSQL runs this function again after a deadlock or serialisation failure: only the
        // events of the attempt that commits may go out.
        outbox.length = 0;
        // One round trip: take the nonce and look up the key together.
        const [claim] = await tx.query<{ fresh: boolean; request_hash: string | null; status: number; body: unknown }>(
          `WITH fresh AS (
             INSERT INTO nonces (signer, nonce, expires_at) VALUES ($1, $3, $4) ON CONFLICT DO NOTHING RETURNING 1)
           SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, k.request_hash, k.status, k.body
           FROM (SELECT 1) AS one LEFT JOIN idempotency_keys k ON k.principal = $1 AND k.key = $2`,
          [meta.principal, key, meta.nonce, nonceExpiry(ctx.now())],
        );
        if (claim!.request_hash !== null) {
          if (claim!.request_hash !== meta.requestHash) {
            throw new ProtocolError('idempotency_key_reused', `Idempotency-Key "${key}" was already used for a different request`, 422);
          }
          // A repeat of a request already answered: harmless, whatever its nonce.
          return { status: claim!.status, body: ctx.vault.reveal(claim!.body), replayed: true };
        }
        if (!claim!.fresh) throw replayed(meta.principal, meta.nonce);
        let done: CommandResult;
        try {
          done = await work(tx, outbox);
        } catch (error) {
          if (!(error instanceof RefusalWithEffect)) throw error;
          await error.effect(tx, outbox);
          done = { status: error.status, body: error.toBody() };
        }
        await tx.query(
          'INSERT INTO idempotency_keys (principal, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::jsonb)',
          [meta.principal, key, meta.requestHash, done.status, JSON.stringify(ctx.vault.redact(done.body))],
        );
        return { ...done, replayed: false };
      });
      for (const event of outbox) ctx.events.emit(event);
      // A refusal (stored, or replayed from the store) reaches every transport as the same error.
      if (result.status >= 400) throw storedRefusal(result.body, result.status);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && attempt < 3 && (isKeyConflict(error) || isRegisteredKey(error))) continue;
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) error = alreadyTaken(error);
      if (error instanceof ProtocolError && error.code !== 'replayed_request' && !(error instanceof StoredRefusal)) await burnNonce(ctx, meta);
      throw error;
    }
  }
}

/** A refusal that was committed with its effect and stored for its idempotency key. */
class StoredRefusal extends ProtocolError {}

function storedRefusal(body: unknown, status: number): ProtocolError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return new StoredRefusal('internal_error', 'the stored answer to this request is unreadable', 500);
  const { code, message, details } = parsed.data.error;
  return new StoredRefusal(isErrorCode(code) ? code : 'internal_error', message, status, details);
}

function isKeyConflict(error: unknown): boolean {
  const constraint = (error as { constraint?: string }).constraint;
  const message = (error as Error).message ?? '';
  return constraint === 'idempotency_keys_pkey' || message.includes('idempotency_keys_pkey');
}

/**
 * Two registrations of one public key at the same moment: both found it free, one inserted it
 * first. Run again, the loser sees the winner's row and is answered as a later request would be.
 */
function isRegisteredKey(error: unknown): boolean {
  const constraint = (error as { constraint?: string }).constraint ?? '';
  const message = (error as Error).message ?? '';
  return constraint.endsWith('_key_thumbprint_key') || message.includes('_key_thumbprint_key');
}

/** A unique violation that outlived its retries: the client asked for something another request took, a 409 naming it. */
function alreadyTaken(error: unknown): ProtocolError {
  const constraint = (error as { constraint?: string }).constraint ?? /constraint "([^"]+)"/.exec((error as Error).message ?? '')?.[1] ?? '';
  if (constraint.endsWith('_key_thumbprint_key')) {
    return new ProtocolError('invalid_request', 'this public key is already registered; each wallet, agent, device and merchant needs its own key', 409, [{ path: 'publicKey', message: 'already registered' }]);
  }
  return new ProtocolError('invalid_request', `this request conflicts with another one made at the same moment (${constraint || 'a unique value'}); try again`, 409);
}

/** A refused request still uses up its nonce, so it cannot be replayed once conditions change. */
async function burnNonce(ctx: RelayContext, meta: CommandMeta): Promise<void> {
  await ctx.db
    .query('INSERT INTO nonces (signer, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      meta.principal, meta.nonce, new Date(ctx.now().getTime() + 10 * 60_000),
    ])
    .catch(() => undefined);
}
