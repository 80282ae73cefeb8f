import type { IssuedStepUpChallenge } from '@agentpay/protocol';
import { ProtocolError, randomString } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

/** Long enough to find the authenticator and touch it; short enough that a recorded one is soon worthless. */
export const STEP_UP_CHALLENGE_TTL_MS = 5 * 60_000;
/** Expired challenges are kept this long, so that using one late is told "expired", then forgotten. */
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

/**
 * Issues a fresh single-use challenge to the wallet. Every step-up assertion
 * signs over a challenge derived from one of these and from what it approves,
 * so an assertion is worth one use, for a few minutes, by this wallet only.
 */
export async function issueStepUpChallenge(tx: Queryable, walletId: string, now: Date): Promise<IssuedStepUpChallenge> {
  await tx.query('DELETE FROM step_up_challenges WHERE wallet_id = $1 AND expires_at < $2', [walletId, new Date(now.getTime() - KEEP_EXPIRED_MS)]);
  const id = `stc_${randomString(32)}`;
  const expiresAt = new Date(now.getTime() + STEP_UP_CHALLENGE_TTL_MS);
  await tx.query('INSERT INTO step_up_challenges (id, wallet_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [id, walletId, now, expiresAt]);
  return { id, expiresAt: expiresAt.toISOString() };
}

/**
 * Uses up the challenge in one statement: of any number of requests racing
 * with it, one sets used_at and the others find it used (on PostgreSQL they
 * wait on the row and re-read it). Rolled back with the rest of the request
 * if that fails, so only an accepted step-up uses its challenge.
 */
export async function consumeStepUpChallenge(tx: Queryable, walletId: string, challengeId: string, now: Date): Promise<void> {
  const taken = await tx.query(
    'UPDATE step_up_challenges SET used_at = $3 WHERE id = $1 AND wallet_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING id',
    [challengeId, walletId, now],
  );
  if (taken.length === 1) return;
  const [row] = await tx.query<{ used_at: Date | null; expires_at: Date }>(
    'SELECT used_at, expires_at FROM step_up_challenges WHERE id = $1 AND wallet_id = $2',
    [challengeId, walletId],
  );
  const fail = (why: string) => new ProtocolError('step_up_failed', `the passkey check failed: ${why}`, 403);
  if (!row) throw fail(`this wallet was issued no step-up challenge ${challengeId}`);
  if (row.used_at) throw fail(`step-up challenge ${challengeId} was already used once; ask for a new one`);
  throw fail(`step-up challenge ${challengeId} expired at ${new Date(row.expires_at).toISOString()}; ask for a new one`);
}
