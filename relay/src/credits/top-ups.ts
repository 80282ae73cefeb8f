import { type Category, IntentRequest, newId, ProtocolError, type TopUp, type TopUpRequest } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { findPrincipal, type ActorPrincipal } from '../identity/principals.ts';
import { createIntent } from '../intents/create.ts';
import type { Queryable } from '../store/database.ts';
import { activeTokenFor } from '../vault/tokens.ts';
import { accountFor, buyCredits } from './accounts.ts';

/**
 * Top-ups: the relay buys credits for a wallet on behalf of one of its agents. The purchase is an
 * intent the agent's mandate decides like any other (within a quota it is paid at once, beyond it
 * the user is asked), and once approved the relay charges its token into the credits itself, so no
 * token ever leaves the relay. A top-up moves pending → paid | held | failed, and held → paid | failed.
 */

interface TopUpRow {
  id: string;
  account_id: string;
  actor_id: string;
  actor_name: string;
  wallet_id: string;
  vendor_id: string;
  vendor_name: string;
  vendor_category: Category | null;
  currency: string;
  amount_minor: string | number;
  automatic: boolean;
  status: TopUp['status'];
  intent_id: string | null;
  reason: string | null;
  created_at: Date;
}

const SELECT_TOP_UP = `SELECT t.*, ac.name AS actor_name, a.wallet_id, a.vendor_id, a.currency, m.name AS vendor_name, m.category AS vendor_category
  FROM credit_top_ups t JOIN credit_accounts a ON a.id = t.account_id JOIN actors ac ON ac.id = t.actor_id JOIN merchants m ON m.id = a.vendor_id`;

export function toTopUp(row: TopUpRow): TopUp {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    accountId: row.account_id,
    agent: { id: row.actor_id, name: row.actor_name },
    amount: { minor: Number(row.amount_minor), currency: row.currency },
    automatic: row.automatic,
    status: row.status,
    intentId: row.intent_id,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Opens a top-up unless one is already open for the account (the partial unique index decides,
 * so one crossing of the threshold opens one, whatever races it). Returns its id, or null.
 */
export async function openTopUp(
  ctx: RelayContext, tx: Queryable, input: { accountId: string; actorId: string; minor: number; automatic: boolean },
): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO credit_top_ups (id, account_id, actor_id, amount_minor, automatic, status, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)
     ON CONFLICT (account_id) WHERE status IN ('pending', 'held') DO NOTHING RETURNING id`,
    [newId('topUp'), input.accountId, input.actorId, input.minor, input.automatic, ctx.now()],
  );
  return row?.id ?? null;
}

async function lockTopUp(tx: Queryable, id: string): Promise<TopUpRow | undefined> {
  const [row] = await tx.query<TopUpRow>(`${SELECT_TOP_UP} WHERE t.id = $1 FOR UPDATE OF t`, [id]);
  return row;
}

async function end(tx: Queryable, outbox: RelayEvent[], row: TopUpRow, change: { status: TopUp['status']; reason?: string; intentId?: string; chargeId?: string }, now: Date): Promise<TopUp> {
  const final = change.status === 'paid' || change.status === 'failed';
  const [updated] = await tx.query<TopUpRow>(
    `WITH t AS (UPDATE credit_top_ups SET status = $2, reason = COALESCE($3, reason), intent_id = COALESCE($4, intent_id), charge_id = COALESCE($5, charge_id),
                ended_at = CASE WHEN $6 THEN $7::timestamptz END WHERE id = $1 RETURNING *)
     ${SELECT_TOP_UP.replace('FROM credit_top_ups t', 'FROM t')}`,
    [row.id, change.status, change.reason ?? null, change.intentId ?? null, change.chargeId ?? null, final, now],
  );
  const topUp = toTopUp(updated!);
  outbox.push({ type: 'credits.top_up', walletId: row.wallet_id, actorId: row.actor_id, topUp });
  return topUp;
}

async function pay(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], row: TopUpRow, intentId: string, secret: string): Promise<TopUp> {
  const amount = { minor: Number(row.amount_minor), currency: row.currency };
  const { charge } = await buyCredits(ctx, tx, outbox, row.vendor_id, { token: secret, amount, reference: `top-up ${row.id}` }, row.id);
  return end(tx, outbox, row, { status: 'paid', intentId, chargeId: charge.id }, ctx.now());
}

/**
 * Takes a top-up one step further: decides its intent (pending), or charges it once the user
 * approved (held). Runs under the top-up's row lock, so the event that woke it and the sweeper
 * never both act on one top-up. An error thrown here rolls back; `runTopUp` then records the failure.
 */
export async function advanceTopUp(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], id: string, signer?: ActorPrincipal): Promise<TopUp | null> {
  const row = await lockTopUp(tx, id);
  if (!row) return null;
  if (row.status === 'pending') {
    const actor = signer ?? (await findPrincipal(tx, row.actor_id));
    // Top-ups are agents' (the wallet only names agents); a device's payments are spoken or scanned, never made for it.
    if (!actor || actor.kind !== 'agent') throw new ProtocolError('unknown_agent', `${row.actor_id} is not an agent of this wallet`, 404);
    const amount = { minor: Number(row.amount_minor), currency: row.currency };
    const intent = await createIntent(ctx, tx, outbox, actor, IntentRequest.parse({
      merchantId: row.vendor_id,
      amount,
      lineItems: [{ name: `Credits at ${row.vendor_name}`, quantity: 1, unitMinor: amount.minor }],
      // Credits buy a vendor's service: a mandate allowing services pays them even when the vendor registered no category.
      category: row.vendor_category ?? 'services',
      channel: 'api',
      description: row.automatic ? `Automatic top-up: the credits at ${row.vendor_name} fell below the threshold you set` : `Credits at ${row.vendor_name}, asked by ${actor.name}`,
    }));
    if (intent.status === 'approved') return pay(ctx, tx, outbox, row, intent.id, intent.token!.secret);
    if (intent.status === 'pending_confirmation') return end(tx, outbox, row, { status: 'held', intentId: intent.id }, ctx.now());
    const why = intent.decision.reasons.map((r) => r.message).concat(intent.decision.risk.map((r) => r.message)).join('; ');
    return end(tx, outbox, row, { status: 'failed', intentId: intent.id, reason: `declined: ${why || 'by the mandate'}` }, ctx.now());
  }
  if (row.status === 'held') {
    const [intent] = await tx.query<{ status: string }>('SELECT status FROM intents WHERE id = $1', [row.intent_id]);
    if (intent?.status === 'pending_confirmation') return toTopUp(row);
    if (intent?.status === 'approved') {
      const token = await activeTokenFor(ctx, tx, row.intent_id!);
      if (token) return pay(ctx, tx, outbox, row, row.intent_id!, token.secret);
      return end(tx, outbox, row, { status: 'failed', reason: 'the approval ended before the credits were bought' }, ctx.now());
    }
    return end(tx, outbox, row, { status: 'failed', reason: `the user did not approve it (${intent?.status ?? 'gone'})` }, ctx.now());
  }
  return toTopUp(row);
}

/**
 * The user approved a held top-up's intent: its credits are bought in the approval's own
 * transaction, with the token just issued, so that token is never handed to anyone (the agent
 * that asked, a device). Returns whether the intent was a top-up's.
 */
export async function payApprovedTopUp(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], intentId: string, secret: string): Promise<boolean> {
  const [held] = await tx.query<{ id: string }>(`SELECT id FROM credit_top_ups WHERE intent_id = $1 AND status = 'held'`, [intentId]);
  if (!held) return false;
  const row = await lockTopUp(tx, held.id);
  await pay(ctx, tx, outbox, row!, intentId, secret);
  return true;
}

/** Whether an intent buys credits for a top-up: its token is the relay's to charge, never shown. */
export async function isTopUpIntent(db: Queryable, intentId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM credit_top_ups WHERE intent_id = $1', [intentId])).length > 0;
}

/** Advances a top-up in its own transaction; a refusal on the way (agent revoked, card declined) fails it for good. */
export async function runTopUp(ctx: RelayContext, id: string): Promise<void> {
  let outbox: RelayEvent[] = [];
  try {
    await ctx.db.transaction((tx) => advanceTopUp(ctx, tx, outbox, id));
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    outbox = [];
    await ctx.db.transaction(async (tx) => {
      const row = await lockTopUp(tx, id);
      if (row && (row.status === 'pending' || row.status === 'held')) await end(tx, outbox, row, { status: 'failed', reason: err.message }, ctx.now());
    });
  }
  for (const event of outbox) ctx.events.emit(event);
}

/** Open top-ups, for the sweeper: those a crash or a lost event left behind, and held ones whose answer came. */
export async function openTopUps(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT t.id FROM credit_top_ups t LEFT JOIN intents i ON i.id = t.intent_id
     WHERE t.status = 'pending' OR (t.status = 'held' AND i.status IS DISTINCT FROM 'pending_confirmation') ORDER BY t.created_at LIMIT 100`,
  );
  return rows.map((r) => r.id);
}

/** An agent asks for credits at a vendor: decided (and paid, when approved) in its own request. */
export async function requestTopUp(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], actor: ActorPrincipal, asked: TopUpRequest): Promise<TopUp> {
  const [vendor] = await tx.query('SELECT 1 FROM merchants WHERE id = $1', [asked.vendorId]);
  if (!vendor) throw new ProtocolError('unknown_merchant', `vendor "${asked.vendorId}" is not registered with this relay`, 422);
  const account = await accountFor(tx, actor.walletId, asked.vendorId, asked.amount.currency);
  const id = await openTopUp(ctx, tx, { accountId: account.id, actorId: actor.id, minor: asked.amount.minor, automatic: false });
  if (!id) {
    const [open] = await tx.query<{ id: string; status: string; intent_id: string | null }>(
      `SELECT id, status, intent_id FROM credit_top_ups WHERE account_id = $1 AND status IN ('pending', 'held')`, [account.id],
    );
    const which = open ? `top-up ${open.id}${open.intent_id ? ` (payment ${open.intent_id})` : ''} ${open.status === 'held' ? 'waits for the user' : 'is being decided'}` : 'a top-up is still open';
    throw new ProtocolError('top_up_pending', `${which} at ${asked.vendorId}: ask again when it has ended, or withdraw its payment (POST /v1/intents/{id}/cancel)`, 409);
  }
  return (await advanceTopUp(ctx, tx, outbox, id, actor))!;
}

/** One of the agent's top-ups. */
export async function readTopUp(db: Queryable, actorId: string, id: string): Promise<TopUp> {
  const [row] = await db.query<TopUpRow>(`${SELECT_TOP_UP} WHERE t.id = $1 AND t.actor_id = $2`, [id, actorId]);
  if (!row) throw new ProtocolError('not_found', `no top-up ${id} of yours`, 404);
  return toTopUp(row);
}
