import type { Money, PasskeyAssertion, PasskeyChange, PasskeyRegistration, StepUpChange, WalletSettings } from '@agentpay/protocol';
import { passkeyChallenge, ProtocolError, stepUpChallenge } from '@agentpay/protocol';
import { audit } from '../audit/audit.ts';
import { passkeyPublicKey, verifyAssertion } from '../identity/passkey.ts';
import type { Queryable } from '../store/database.ts';
import { consumeStepUpChallenge } from './step-up-challenges.ts';

/** What decides whether approving needs the passkey. */
export interface StepUpPolicy {
  passkey: PasskeyRegistration | null;
  thresholds: Money[];
}

/**
 * Pure: approving needs step-up when the wallet has a passkey and the amount
 * reaches the threshold for its currency. A currency the user set no threshold
 * for always needs it: otherwise an agent could pay above the user's limit
 * simply by choosing another currency.
 */
export function needsStepUp(policy: StepUpPolicy, amount: Money): boolean {
  if (!policy.passkey) return false;
  const threshold = policy.thresholds.find((t) => t.currency === amount.currency);
  return threshold === undefined || amount.minor >= threshold.minor;
}

export async function stepUpPolicy(db: Queryable, walletId: string): Promise<StepUpPolicy> {
  const [row] = await db.query<{ passkey: PasskeyRegistration | null; step_up_thresholds: Money[] }>(
    'SELECT passkey, step_up_thresholds FROM wallets WHERE id = $1',
    [walletId],
  );
  if (!row) throw new ProtocolError('unknown_wallet', `no wallet ${walletId}`, 404);
  return { passkey: row.passkey, thresholds: row.step_up_thresholds };
}

/** Refuses a passkey whose key the relay could never verify with, naming why. */
export function checkPasskey(passkey: PasskeyRegistration): void {
  try {
    passkeyPublicKey(passkey.publicKey);
  } catch (error) {
    throw new ProtocolError('invalid_request', `the passkey is invalid: ${(error as Error).message}`, 400, [
      { path: 'passkey.publicKey', message: (error as Error).message },
    ]);
  }
}

/** The WebAuthn challenge an assertion must carry, from its relay-issued challenge id and what it approves. */
export type ChallengeFor = (challengeId: string) => Promise<string>;

/**
 * Demands a user-verified assertion by the wallet's passkey over the
 * challenge derived from a relay-issued challenge id and what is approved:
 * 403 step_up_required without one, step_up_failed (with the reason) when it
 * does not check out, its challenge is another wallet's, expired or used, or
 * the same assertion (however spelled) was accepted before. The challenge is
 * used up in the caller's transaction.
 */
export async function requireAssertion(
  tx: Queryable,
  walletId: string,
  passkey: PasskeyRegistration,
  assertion: PasskeyAssertion | undefined,
  challengeFor: ChallengeFor,
  what: string,
  now: Date,
): Promise<void> {
  if (!assertion) {
    throw new ProtocolError('step_up_required', `${what} needs a user-verified assertion by the wallet's passkey (credential ${passkey.credentialId}) over a challenge from POST /v1/wallet/step-up/challenges`, 403);
  }
  const check = verifyAssertion(passkey, assertion, await challengeFor(assertion.challengeId));
  if (!check.ok) throw new ProtocolError('step_up_failed', `the passkey check failed: ${check.reason}`, 403);
  await consumeStepUpChallenge(tx, walletId, assertion.challengeId, now);
  // Remembered by what it is (decoded bytes, normalised signature), not how it was spelled.
  const fresh = await tx.query('INSERT INTO used_assertions (hash, wallet_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [check.fingerprint, walletId]);
  if (fresh.length === 0) throw new ProtocolError('step_up_failed', 'the passkey check failed: this assertion was already used once', 403);
}

/** Changes the step-up thresholds; once there is a passkey, only with its assertion. */
export async function setThresholds(tx: Queryable, walletId: string, change: StepUpChange, now: Date): Promise<WalletSettings> {
  const policy = await lockedPolicy(tx, walletId);
  if (policy.passkey) {
    await requireAssertion(tx, walletId, policy.passkey, change.assertion, (id) => stepUpChallenge(id, walletId, change.thresholds), 'changing the step-up thresholds', now);
  }
  await tx.query('UPDATE wallets SET step_up_thresholds = $2::jsonb WHERE id = $1', [walletId, JSON.stringify(change.thresholds)]);
  await audit(tx, { walletId, principal: walletId, action: 'wallet.step_up_changed', subject: walletId, details: { thresholds: change.thresholds } });
  return walletSettings(tx, walletId);
}

/** Adds a passkey; replacing the one there needs its assertion. */
export async function setPasskey(tx: Queryable, walletId: string, change: PasskeyChange, now: Date): Promise<WalletSettings> {
  checkPasskey(change.passkey);
  const policy = await lockedPolicy(tx, walletId);
  if (policy.passkey) {
    await requireAssertion(tx, walletId, policy.passkey, change.assertion, (id) => passkeyChallenge(id, walletId, change.passkey), 'replacing the passkey', now);
  }
  await tx.query('UPDATE wallets SET passkey = $2::jsonb WHERE id = $1', [walletId, JSON.stringify(change.passkey)]);
  await audit(tx, { walletId, principal: walletId, action: 'wallet.passkey_set', subject: walletId, details: { credentialId: change.passkey.credentialId, replaced: policy.passkey?.credentialId ?? null } });
  return walletSettings(tx, walletId);
}

/** The wallet as `GET /v1/wallet` shows it: whether a passkey is set (public parts only) and the thresholds. */
export async function walletSettings(db: Queryable, walletId: string): Promise<WalletSettings> {
  const [row] = await db.query<{ id: string; name: string; created_at: Date; passkey: PasskeyRegistration | null; step_up_thresholds: Money[] }>(
    'SELECT id, name, created_at, passkey, step_up_thresholds FROM wallets WHERE id = $1',
    [walletId],
  );
  if (!row) throw new ProtocolError('unknown_wallet', `no wallet ${walletId}`, 404);
  const { credentialId, rpId, origin, algorithm } = row.passkey ?? {};
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    passkey: row.passkey ? { credentialId: credentialId!, rpId: rpId!, origin: origin!, algorithm: algorithm! } : null,
    stepUp: { thresholds: row.step_up_thresholds },
  };
}

/** The policy, with the wallet row locked so two changes cannot both pass on the old passkey. */
async function lockedPolicy(tx: Queryable, walletId: string): Promise<StepUpPolicy> {
  const [row] = await tx.query<{ passkey: PasskeyRegistration | null; step_up_thresholds: Money[] }>(
    'SELECT passkey, step_up_thresholds FROM wallets WHERE id = $1 FOR UPDATE',
    [walletId],
  );
  if (!row) throw new ProtocolError('unknown_wallet', `no wallet ${walletId}`, 404);
  return { passkey: row.passkey, thresholds: row.step_up_thresholds };
}
