import { type Actor, AGENT_INVITE_TTL_SECONDS, type AgentEnrollment, type AgentInvite, ProtocolError } from '@agentpay/protocol';
import { createHash, randomInt } from 'node:crypto';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { RetryLater } from '../http/retry-later.ts';
import type { Queryable } from '../store/database.ts';
import { createThrottle, type Throttle } from '../throttle/throttle.ts';
import { registerActor } from './actors.ts';

/** Letters a person reads off a screen without confusing them (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
/** Wrong codes allowed per address, and relay-wide, per window: as for pairing codes. */
const WRONG_PER_SOURCE = 10;
const WRONG_OVERALL = 100;
const WINDOW_MS = 10 * 60_000;
const TTL_MINUTES = AGENT_INVITE_TTL_SECONDS / 60;

/** `k7qm 2xpd-9hva` and `K7QM-2XPD-9HVA` are one code: case, spaces and dashes are only for reading. */
const normalise = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
/**
 * Codes are found by their SHA-256, never compared as text: the lookup's timing says nothing about how
 * much of a guess was right, and the store never holds a code that works.
 */
const hashOf = (code: string) => createHash('sha256').update(normalise(code)).digest('base64url');

/** Makes a single-use agent code for this wallet, good for `AGENT_INVITE_TTL_SECONDS`. */
export async function makeAgentInvite(tx: Queryable, walletId: string, now: Date): Promise<AgentInvite> {
  const chars = Array.from({ length: GROUPS * GROUP_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const code = chars.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
  const expiresAt = new Date(now.getTime() + AGENT_INVITE_TTL_SECONDS * 1000);
  await tx.query('INSERT INTO agent_invites (code_hash, wallet_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [hashOf(code), walletId, expiresAt, now]);
  return { code, expiresAt: expiresAt.toISOString() };
}

const guards = new WeakMap<RelayContext, { bySource: Throttle; overall: Throttle }>();
function guardsOf(ctx: RelayContext) {
  let found = guards.get(ctx);
  if (!found) {
    const now = () => ctx.now().getTime();
    found = { bySource: createThrottle({ limit: WRONG_PER_SOURCE, windowMs: WINDOW_MS, now }), overall: createThrottle({ limit: WRONG_OVERALL, windowMs: WINDOW_MS, now }) };
    guards.set(ctx, found);
  }
  return found;
}

/**
 * An agent joins the wallet that made its code, under its own key and name, with no mandate: the user
 * confirms each of its payments. The code is taken by one conditional UPDATE, so of two agents racing
 * with one code exactly one gets in; a failure after it (a key already registered) rolls it back unused.
 */
export async function enrollAgent(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], input: AgentEnrollment, source: string): Promise<Actor> {
  const { bySource, overall } = guardsOf(ctx);
  const wait = Math.max(bySource.retryAfterMs(source), overall.retryAfterMs('all'));
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new RetryLater(`too many wrong agent codes were tried; nothing was connected. Try again in ${seconds} s with the code your wallet shows`, seconds);
  }
  const now = ctx.now();
  const hash = hashOf(input.code);
  const [taken] = await tx.query<{ wallet_id: string }>(
    `UPDATE agent_invites SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING wallet_id`,
    [hash, now],
  );
  if (!taken) {
    const [known] = await tx.query<{ used_at: Date | null }>('SELECT used_at FROM agent_invites WHERE code_hash = $1', [hash]);
    if (!known) {
      bySource.hit(source);
      overall.hit('all');
      throw new ProtocolError('forbidden', `this agent code is wrong; nothing was connected. Make a new code in the AI Wallet (Agents, Connect an agent) and use it within ${TTL_MINUTES} minutes`, 403, [{ path: 'code', message: 'wrong code' }]);
    }
    throw known.used_at
      ? new ProtocolError('forbidden', 'this agent code was already used: each code connects one agent. Make a new code in the AI Wallet', 409, [{ path: 'code', message: 'already used' }])
      : new ProtocolError('forbidden', `this agent code has expired (codes work for ${TTL_MINUTES} minutes); nothing was connected. Make a new code in the AI Wallet`, 410, [{ path: 'code', message: 'expired' }]);
  }
  const name = await nameNotYetUsed(tx, taken.wallet_id, input.name);
  const actor = await registerActor(tx, { id: taken.wallet_id }, { kind: 'agent', name, publicKey: input.publicKey });
  await tx.query('UPDATE agent_invites SET actor_id = $2 WHERE code_hash = $1', [hash, actor.id]);
  // The AI Wallet, open on the page where the code was made, lists the new agent at once.
  outbox.push({ type: 'actor.updated', walletId: actor.walletId, actorId: actor.id, status: 'active' });
  return actor;
}

/**
 * `name`, or "name (2)", "name (3)"…: the same program connected twice (a second code for the demo
 * agent) is two agents, and the wallet's lists, records and windows must tell them apart.
 */
async function nameNotYetUsed(tx: Queryable, walletId: string, name: string): Promise<string> {
  const rows = await tx.query<{ name: string }>('SELECT name FROM actors WHERE wallet_id = $1', [walletId]);
  const used = new Set(rows.map((r) => r.name));
  // Names are at most 120 characters: a long one gives way to its number.
  const numbered = (n: number) => `${name.slice(0, 120 - ` (${n})`.length).trimEnd()} (${n})`;
  if (!used.has(name)) return name;
  let n = 2;
  while (used.has(numbered(n))) n++;
  return numbered(n);
}
