import { ProtocolError, type WalletRecord } from '@agentpay/protocol';
import * as z from 'zod';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { audit } from '../audit/audit.ts';
import { toIntent, type IntentRow } from '../intents/model.ts';
import { STORY_COLUMNS, STORY_JOINS, storyOf, type StoryRow } from '../payments/facts.ts';
import { refundCharge } from '../merchant/charges.ts';
import type { Queryable } from '../store/database.ts';
import { releaseTokens } from '../vault/tokens.ts';

/**
 * Where a page of records ends: the last record's creation time, to the
 * microsecond as stored, and its id. Many records share one millisecond under
 * load, so a time alone would skip or repeat them; (time, id) is a total order.
 */
const RecordCursor = z
  .object({
    // Years PostgreSQL and PGlite store alike, and an id as the relay makes them: a forged cursor is a 400, never a 500.
    at: z.iso.datetime({ precision: 6 }).refine((at) => Number(at.slice(0, 4)) >= 1970, 'a time this relay could have written'),
    id: z.string().regex(/^int_[0-9a-z]{1,64}$/, 'an intent id'),
  })
  .strict();
type RecordCursor = z.infer<typeof RecordCursor>;

/** The opaque `cursor` a client sends back: base64url of the cursor's JSON. */
export function encodeRecordCursor(cursor: RecordCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Reads a cursor this relay made; anything else is refused naming the field. */
export function decodeRecordCursor(value: string): RecordCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = RecordCursor.safeParse(json);
  if (!parsed.success) {
    throw new ProtocolError('invalid_request', 'cursor: not a cursor this relay made; pass the nextCursor of the previous page as it was', 400, [
      { path: 'cursor', message: 'not a cursor this relay made' },
    ]);
  }
  return parsed.data;
}

/** A story row as the wallet's record of it (no token secret: that belongs to the actor). */
type RecordRow = StoryRow & { actor_name: string; actor_kind: string; refund_asked_at: Date | null; refund_reason: string | null };

function toRecord(r: RecordRow, now: Date): WalletRecord {
  return {
    ...toIntent(r),
    boughtBy: { id: r.actor_id, name: r.actor_name, kind: r.actor_kind },
    merchantName: r.merchant_name,
    tokenStatus: r.token_status,
    charge: r.charge_id ? { id: r.charge_id, amount: { minor: Number(r.charged_minor), currency: r.currency }, refundedMinor: Number(r.refunded_minor) } : null,
    story: storyOf(r, now),
    refundAsked: r.refund_asked_at ? { reason: r.refund_reason ?? '', at: r.refund_asked_at.toISOString() } : null,
  };
}

const RECORD_SELECT = `SELECT i.*, a.name AS actor_name, a.kind AS actor_kind, ${STORY_COLUMNS},
            to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM intents i
     JOIN actors a ON a.id = i.actor_id
     ${STORY_JOINS}`;

/**
 * A "bought by AI" record: the intent, the agent that made it, the merchant,
 * what was actually charged and refunded, and its story against `now`.
 * Newest first, one page at a time: `nextCursor` names where the next page
 * starts (null on the last page). `before` (a time) still starts a listing
 * below that time, but only the cursor pages without skipping records created
 * in the same instant.
 */
export async function listRecords(
  db: Queryable, walletId: string, filter: { actorId?: string; limit: number; before?: string; cursor?: string }, now: Date,
): Promise<{ records: WalletRecord[]; nextCursor: string | null }> {
  if (filter.before && filter.cursor) {
    throw new ProtocolError('invalid_request', 'cursor: give either cursor or before, not both', 400, [{ path: 'cursor', message: 'not with before' }]);
  }
  const after = filter.cursor ? decodeRecordCursor(filter.cursor) : undefined;
  const rows = await db.query<RecordRow & { cursor_at: string }>(
    `${RECORD_SELECT}
     WHERE i.wallet_id = $1 AND ($2::text IS NULL OR i.actor_id = $2) AND ($3::timestamptz IS NULL OR i.created_at < $3)
       AND ($4::timestamptz IS NULL OR (i.created_at, i.id) < ($4::timestamptz, $5::text))
     ORDER BY i.created_at DESC, i.id DESC LIMIT $6`,
    [walletId, filter.actorId ?? null, filter.before ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    records: page.map((r) => toRecord(r, now)),
    nextCursor: rows.length > filter.limit && last ? encodeRecordCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}

/** One record with its story, for a view that follows one payment (the confirmation window, the popup). */
export async function getRecord(db: Queryable, walletId: string, intentId: string, now: Date): Promise<WalletRecord> {
  const [row] = await db.query<RecordRow>(`${RECORD_SELECT} WHERE i.wallet_id = $1 AND i.id = $2`, [walletId, intentId]);
  if (!row) throw new ProtocolError('not_found', `no payment ${intentId} in this wallet`, 404);
  return toRecord(row, now);
}

/**
 * Reverses a payment on the user's word: refunds what was charged, or ends
 * an unused token and releases its hold, or denies a held intent.
 */
export async function reverseRecord(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], walletId: string, intentId: string, reason?: string) {
  const [row] = await tx.query<IntentRow>('SELECT * FROM intents WHERE id = $1 AND wallet_id = $2 FOR NO KEY UPDATE', [intentId, walletId]);
  if (!row) throw new ProtocolError('not_found', `no intent ${intentId} in this wallet`, 404);
  if (row.status === 'approved') {
    // The token's row lock orders this after a charge in flight (or that charge after this), and the
    // charge is read only once the lock is held: whoever loses the race learns what actually happened.
    const [token] = await tx.query<{ id: string; status: string }>('SELECT id, status FROM tokens WHERE intent_id = $1 FOR NO KEY UPDATE', [intentId]);
    const [charge] = token
      ? await tx.query<{ id: string; remaining: number }>('SELECT id, amount_minor - refunded_minor AS remaining FROM charges WHERE token_id = $1', [token.id])
      : [];
    if (charge) {
      if (charge.remaining === 0) throw new ProtocolError('refund_exceeds_charge', `the payment for ${intentId} is already fully refunded`, 409);
      const refund = await refundCharge(ctx, tx, outbox, { chargeId: charge.id, walletId, initiatedBy: 'wallet', reason: reason ?? 'reversed by the user' });
      return { reversed: 'refunded' as const, refund };
    }
    const released = await releaseTokens(tx, outbox, { intentId }, 'you cancelled it before the shop charged it');
    if (released.length === 0) {
      throw new ProtocolError('intent_not_pending', `the token of intent ${intentId} is already ${token?.status ?? 'gone'} and was never charged: nothing was paid, nothing is left to reverse`, 409);
    }
    await audit(tx, { walletId, principal: walletId, action: 'token.revoked', subject: intentId, details: { reason } });
    return { reversed: 'token_revoked' as const };
  }
  if (row.status === 'pending_confirmation') {
    const [updated] = await tx.query<IntentRow>(`UPDATE intents SET status = 'denied', answered_at = now() WHERE id = $1 RETURNING *`, [intentId]);
    await audit(tx, { walletId, principal: walletId, action: 'intent.denied', subject: intentId, details: { reason } });
    outbox.push({ type: 'intent.updated', walletId, actorId: row.actor_id, intent: toIntent(updated!), cause: 'reversed' });
    return { reversed: 'denied' as const };
  }
  throw new ProtocolError('intent_not_pending', `intent ${intentId} is ${row.status}; nothing was paid and there is nothing to reverse`, 409);
}

/** Net spending (charged minus refunded) by category or by month. */
export async function spending(db: Queryable, walletId: string, by: 'category' | 'month') {
  const group = by === 'category' ? 'i.category' : `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`;
  return db.query<{ key: string; currency: string; minor: number; count: number }>(
    `SELECT ${group} AS key, c.currency, SUM(c.amount_minor - c.refunded_minor)::int8 AS minor, COUNT(*)::int8 AS count
     FROM charges c JOIN intents i ON i.id = c.intent_id
     WHERE c.wallet_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [walletId],
  );
}
