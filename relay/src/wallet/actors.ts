import type { Actor, ActorRegistration, ActorStatus, Mandate, MandateDocument, PasskeyAssertion } from '@agentpay/protocol';
import { MandateDocument as MandateSchema, REQUEST_WINDOW_MS, resumeChallenge, mandateChallenge, newId, ProtocolError } from '@agentpay/protocol';
import type { RelayEvent } from '../events/hub.ts';
import type { Principal } from '../identity/principals.ts';
import { verifyWalletDocument } from '../identity/verify.ts';
import { thumbprint } from '../identity/thumbprint.ts';
import { audit } from '../audit/audit.ts';
import { periodStart } from '../mandates/clock.ts';
import { quotaSpent, recountQuotaSpending } from '../mandates/quota.ts';
import type { Queryable } from '../store/database.ts';
import { type IntentRow, toIntent } from '../intents/model.ts';
import { lockActor } from '../mandates/store.ts';
import { releaseTokens } from '../vault/tokens.ts';
import { requireAssertion, stepUpPolicy } from './step-up.ts';

type WalletPrincipal = Extract<Principal, { kind: 'wallet' }>;

interface ActorRow {
  id: string;
  kind: 'agent' | 'device';
  wallet_id: string;
  name: string;
  status: ActorStatus;
  profile: Actor['profile'];
  created_at: Date;
}

const toActor = (row: ActorRow): Actor => ({
  id: row.id,
  kind: row.kind,
  walletId: row.wallet_id,
  name: row.name,
  status: row.status,
  profile: row.profile,
  createdAt: row.created_at.toISOString(),
});

/** A wallet registers an agent or device by its public key. */
export async function registerActor(tx: Queryable, wallet: Pick<WalletPrincipal, 'id'>, input: ActorRegistration): Promise<Actor> {
  // Shares the wallet's row lock with unpairing, so no agent is added to a wallet as it is unpaired.
  const [paired] = await tx.query('SELECT 1 FROM wallets WHERE id = $1 AND unpaired_at IS NULL FOR SHARE', [wallet.id]);
  if (!paired) throw new ProtocolError('unknown_wallet', `wallet ${wallet.id} was unpaired: pair again to add agents`, 409);
  const id = newId(input.kind);
  const print = await thumbprint(input.publicKey);
  const [taken] = await tx.query('SELECT 1 FROM actors WHERE key_thumbprint = $1', [print]);
  if (taken) throw new ProtocolError('invalid_request', 'this public key is already registered; each agent or device needs its own key', 409, [{ path: 'publicKey', message: 'already registered' }]);
  const [row] = await tx.query<ActorRow>(
    `INSERT INTO actors (id, wallet_id, kind, name, profile, public_jwk, key_thumbprint) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING *`,
    [id, wallet.id, input.kind, input.name, input.kind === 'device' ? (input.profile ?? 'other') : null, JSON.stringify(input.publicKey), print],
  );
  await audit(tx, { walletId: wallet.id, principal: wallet.id, action: `${input.kind}.registered`, subject: id, details: { name: input.name } });
  return toActor(row!);
}

export async function ownActor(db: Queryable, wallet: WalletPrincipal, actorId: string): Promise<ActorRow> {
  const [row] = await db.query<ActorRow>('SELECT * FROM actors WHERE id = $1 AND wallet_id = $2', [actorId, wallet.id]);
  if (!row) throw new ProtocolError('not_found', `no agent or device ${actorId} in this wallet`, 404);
  return row;
}

/**
 * Renames, pauses, resumes or revokes. The actor's row is locked first, so the change lands between
 * two of its intents, never inside one: once this answers, a paused actor gets nothing approved and a
 * revoked one holds no token that can be charged. Revoking is final: it also ends the actor's unused
 * tokens and declines its held intents, so the wallet can no longer approve them.
 */
export async function updateActor(
  tx: Queryable,
  outbox: RelayEvent[],
  wallet: WalletPrincipal,
  actorId: string,
  { passkey, ...change }: { name?: string; status?: ActorStatus; passkey?: PasskeyAssertion },
  now: Date,
): Promise<Actor> {
  await lockActor(tx, actorId);
  const current = await ownActor(tx, wallet, actorId);
  if (current.status === 'revoked' && change.status && change.status !== 'revoked') {
    throw new ProtocolError('agent_revoked', `${current.kind} ${actorId} was revoked; register it again to use it`, 409);
  }
  // A resumed actor pays again at once: with a passkey, like a mandate change, only the person may resume it.
  if (current.status === 'paused' && change.status === 'active') {
    const policy = await stepUpPolicy(tx, wallet.id);
    if (policy.passkey) await requireAssertion(tx, wallet.id, policy.passkey, passkey, (id) => resumeChallenge(id, wallet.id, actorId), `resuming ${current.name}`, now);
  }
  const [row] = await tx.query<ActorRow>(
    'UPDATE actors SET name = COALESCE($2, name), status = COALESCE($3, status) WHERE id = $1 RETURNING *',
    [actorId, change.name ?? null, change.status ?? null],
  );
  if (change.status === 'revoked' && current.status !== 'revoked') {
    const declined = await tx.query<IntentRow>(
      `UPDATE intents SET status = 'declined', answered_at = now(),
         decision = jsonb_set(decision, '{reasons}', (decision->'reasons') || $2::jsonb)
       WHERE actor_id = $1 AND status = 'pending_confirmation' RETURNING *`,
      [actorId, JSON.stringify([{ code: 'agent_revoked', message: `${current.name} was revoked by its wallet` }])],
    );
    for (const intent of declined) outbox.push({ type: 'intent.updated', walletId: wallet.id, actorId, intent: toIntent(intent), cause: 'revoked' });
    await releaseTokens(tx, outbox, { actorId }, `${current.name} was revoked by you before the shop charged it`);
    // Stamped last, with every token of the actor ended and locked here: a charge recorded later broke the promise.
    await tx.query('UPDATE actors SET revoked_at = clock_timestamp() WHERE id = $1', [actorId]);
  }
  if (change.status && change.status !== current.status) outbox.push({ type: 'actor.updated', walletId: wallet.id, actorId, status: change.status });
  await audit(tx, { walletId: wallet.id, principal: wallet.id, action: `${current.kind}.updated`, subject: actorId, details: change });
  return toActor(row!);
}

/**
 * Sets the actor's mandate from a JWS the wallet signed over its canonical
 * JSON. The signed document must name this wallet and actor, and be newer
 * than the mandate it replaces.
 */
export async function setMandate(tx: Queryable, wallet: WalletPrincipal, actorId: string, jws: string, now: Date, passkey?: PasskeyAssertion): Promise<Mandate> {
  // Between two of the actor's intents, never inside one: each is decided wholly by the old or the new mandate.
  await lockActor(tx, actorId);
  await ownActor(tx, wallet, actorId);
  const payload = await verifyWalletDocument(wallet, jws, 'mandate');
  // A mandate decides what is paid without asking: with a passkey, only the person may change it,
  // not an agent that drives the browser holding the wallet key.
  const policy = await stepUpPolicy(tx, wallet.id);
  if (policy.passkey) await requireAssertion(tx, wallet.id, policy.passkey, passkey, (id) => mandateChallenge(id, jws), 'changing a mandate', now);
  const parsed = MandateSchema.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ProtocolError('invalid_mandate', `the signed mandate is invalid: ${detail}`, 422);
  }
  const document = parsed.data;
  // A mandate dated in the future would pin itself: no truthful later one could replace it.
  if (new Date(document.issuedAt).getTime() > now.getTime() + REQUEST_WINDOW_MS) {
    throw new ProtocolError('invalid_mandate', `the mandate's issuedAt ${document.issuedAt} is in the future by the relay's clock (${now.toISOString()})`, 422, [
      { path: 'issuedAt', message: 'must not be in the future' },
    ]);
  }
  if (document.walletId !== wallet.id || document.actorId !== actorId) {
    throw new ProtocolError('invalid_mandate', `the mandate is for ${document.walletId}/${document.actorId}, not ${wallet.id}/${actorId}`, 422);
  }
  const [current] = await tx.query<{ id: string; issued_at: Date }>(
    'SELECT id, issued_at FROM mandates WHERE actor_id = $1 AND superseded_at IS NULL FOR NO KEY UPDATE',
    [actorId],
  );
  if (current && new Date(document.issuedAt).getTime() <= current.issued_at.getTime()) {
    throw new ProtocolError('invalid_mandate', `the mandate was issued at ${document.issuedAt}, not after the current one (${current.issued_at.toISOString()})`, 409);
  }
  const [lastQuota] = await tx.query<{ document: MandateDocument }>(
    `SELECT document FROM mandates WHERE actor_id = $1 AND kind = 'quota' ORDER BY created_at DESC LIMIT 1`,
    [actorId],
  );
  if (current) await tx.query('UPDATE mandates SET superseded_at = $2 WHERE id = $1', [current.id, now]);
  await recountQuotaSpending(tx, actorId, document, now, lastQuota?.document);
  const id = newId('mandate');
  await tx.query(
    `INSERT INTO mandates (id, actor_id, wallet_id, kind, document, jws, issued_at, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
    [id, actorId, wallet.id, document.kind, JSON.stringify(document), jws, document.issuedAt, now],
  );
  await audit(tx, { walletId: wallet.id, principal: wallet.id, action: 'mandate.set', subject: actorId, details: { mandateId: id, kind: document.kind } });
  return toMandate(id, document, jws, now, await spentNow(tx, actorId, document, now));
}

/** Every agent and device of the wallet, each with its current mandate. */
export async function listActors(db: Queryable, walletId: string, now: Date): Promise<(Actor & { mandate: Mandate | null })[]> {
  const rows = await db.query<ActorRow & { mandate_id: string | null; document: MandateDocument | null; jws: string | null; mandate_created_at: Date | null }>(
    `SELECT a.*, m.id AS mandate_id, m.document, m.jws, m.created_at AS mandate_created_at
     FROM actors a LEFT JOIN mandates m ON m.actor_id = a.id AND m.superseded_at IS NULL
     WHERE a.wallet_id = $1 ORDER BY a.created_at`,
    [walletId],
  );
  const out = [];
  for (const row of rows) {
    const mandate = row.mandate_id
      ? toMandate(row.mandate_id, row.document!, row.jws!, row.mandate_created_at!, await spentNow(db, row.id, row.document!, now))
      : null;
    out.push({ ...toActor(row), mandate });
  }
  return out;
}

async function spentNow(db: Queryable, actorId: string, document: MandateDocument, now: Date) {
  if (document.kind !== 'quota') return null;
  const start = periodStart(now, document.period, document.timeZone);
  return { minor: await quotaSpent(db, actorId, start, document.budget.currency), currency: document.budget.currency };
}

function toMandate(id: string, document: MandateDocument, jws: string, createdAt: Date, spent: Mandate['spent']): Mandate {
  return { id, actorId: document.actorId, walletId: document.walletId, kind: document.kind, document, jws, createdAt: createdAt.toISOString(), spent };
}
