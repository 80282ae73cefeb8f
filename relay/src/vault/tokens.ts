import type { TokenGrant } from '@agentpay/protocol';
import { newId } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import { accounts, journalInsert, postJournal } from '../ledger/ledger.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { Queryable } from '../store/database.ts';
import { cardExpiry } from './card.ts';

/**
 * Issues the single-use token of an approved intent, bound to its merchant,
 * currency and amount, and holds that amount on the user's funding source.
 */
export async function issueToken(
  ctx: RelayContext,
  tx: Queryable,
  intent: { id: string; walletId: string; merchantId: string; currency: string; maxMinor: number },
): Promise<TokenGrant> {
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.tokenTtlSeconds * 1000);
  // The token and its hold in one round trip: this is on every approval's path. The card number is
  // derived from the token id; if (rarely) another token has it already, nothing is written and
  // another id is drawn.
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newId('token');
    const cardNumber = ctx.vault.cardNumberFor(id);
    const hold = journalInsert(
      {
        id: `hold:${id}`,
        kind: 'hold',
        currency: intent.currency,
        intentId: intent.id,
        tokenId: id,
        transfers: [{ from: accounts.funding(intent.walletId), to: accounts.holds(intent.walletId), minor: intent.maxMinor }],
      },
      { onlyIf: 'SELECT 1 FROM token' },
    );
    const n = hold?.params.length ?? 0;
    const [row] = await tx.query<{ issued: boolean }>(
      `WITH token AS (
         INSERT INTO tokens (id, intent_id, wallet_id, secret_hash, merchant_id, currency, max_minor, expires_at, created_at, card_hash, card_last4)
         VALUES ($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9}, $${n + 10}, $${n + 11})
         ON CONFLICT (card_hash) DO NOTHING RETURNING 1)
       ${hold ? `, hold AS (${hold.sql})` : ''}
       SELECT EXISTS (SELECT 1 FROM token) AS issued`,
      [
        ...(hold?.params ?? []), id, intent.id, intent.walletId, ctx.vault.hash(ctx.vault.secretFor(id)), intent.merchantId, intent.currency,
        intent.maxMinor, expiresAt, ctx.now(), ctx.vault.cardHash(cardNumber), cardNumber.slice(-4),
      ],
    );
    if (row!.issued) return grant(ctx, { id, merchantId: intent.merchantId, currency: intent.currency, maxMinor: intent.maxMinor, expiresAt });
  }
  throw new Error('could not draw an unused card number in 5 attempts');
}

function grant(
  ctx: RelayContext,
  token: { id: string; merchantId: string; currency: string; maxMinor: number; expiresAt: Date; legacyCardNumber?: string | null },
): TokenGrant {
  return {
    id: token.id,
    secret: ctx.vault.secretFor(token.id),
    merchantId: token.merchantId,
    currency: token.currency,
    maxMinor: token.maxMinor,
    expiresAt: token.expiresAt.toISOString(),
    card: { number: token.legacyCardNumber ?? ctx.vault.cardNumberFor(token.id), ...cardExpiry(token.expiresAt), cvc: ctx.vault.cvcFor(token.id) },
  };
}

/** The active token of an intent, with its secret and card, for the actor that owns it. */
export async function activeTokenFor(ctx: RelayContext, db: Queryable, intentId: string): Promise<TokenGrant | undefined> {
  const [row] = await db.query<{ id: string; merchant_id: string; currency: string; max_minor: number; expires_at: Date; card_number: string | null }>(
    `SELECT id, merchant_id, currency, max_minor, expires_at, card_number FROM tokens WHERE intent_id = $1 AND status = 'active'`,
    [intentId],
  );
  if (!row) return undefined;
  return grant(ctx, {
    id: row.id, merchantId: row.merchant_id, currency: row.currency, maxMinor: row.max_minor, expiresAt: new Date(row.expires_at), legacyCardNumber: row.card_number,
  });
}

/** Marks, in schema_migrations, that no card number is left in clear anywhere. */
const CARD_NUMBERS_FORGOTTEN = 'data: card numbers forgotten';

/**
 * Tokens issued before card numbers were derived kept theirs in clear: hash them, keep the last four,
 * and forget the number of every token that can no longer be charged, also in stored answers. An
 * active one keeps its number until it ends (charged, released), so its agent can still be shown the
 * card it was given. Runs at start and with the sweeper until nothing is left, then never again.
 * Returns whether it is done.
 */
export async function forgetCardNumbers(ctx: RelayContext, db: Queryable): Promise<boolean> {
  const [done] = await db.query('SELECT 1 FROM schema_migrations WHERE name = $1', [CARD_NUMBERS_FORGOTTEN]);
  if (done) return true;
  const rows = await db.query<{ id: string; card_number: string }>('SELECT id, card_number FROM tokens WHERE card_number IS NOT NULL AND card_hash IS NULL');
  for (const row of rows) {
    await db.query('UPDATE tokens SET card_hash = $2, card_last4 = $3 WHERE id = $1', [row.id, ctx.vault.cardHash(row.card_number), row.card_number.slice(-4)]);
  }
  await db.query(`UPDATE tokens SET card_number = NULL WHERE card_number IS NOT NULL AND status <> 'active'`);
  await db.query(
    `UPDATE idempotency_keys SET body = body #- '{token,card,number}'
     WHERE body->'token'->'card' ? 'number'
       AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.id = body->'token'->>'id' AND t.status = 'active')`,
  );
  const [left] = await db.query('SELECT 1 FROM tokens WHERE card_number IS NOT NULL LIMIT 1');
  if (left) return false;
  await db.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [CARD_NUMBERS_FORGOTTEN]);
  return true;
}

/**
 * Ends active tokens that were never charged (expired, or revoked with their
 * agent, by the user or after wrong CVCs) and releases their holds. Each
 * ended token changes its payment's story, so the wallet is told (an
 * `intent.ended` event per token). A revoked one keeps `endedReason` on its
 * intent: the sentence the wallet shows for why nothing was paid.
 * Returns the intents affected.
 */
export async function releaseTokens(
  tx: Queryable,
  outbox: RelayEvent[],
  where: { expiredBefore: Date } | { actorId: string } | { intentId: string },
  endedReason?: string,
): Promise<{ tokenId: string; intentId: string; walletId: string; currency: string; maxMinor: number }[]> {
  const [condition, param, status] =
    'expiredBefore' in where
      ? ['expires_at <= $1', where.expiredBefore, 'expired' as const]
      : 'actorId' in where
        ? ['intent_id IN (SELECT id FROM intents WHERE actor_id = $1)', where.actorId, 'revoked' as const]
        : ['intent_id = $1', where.intentId, 'revoked' as const];
  const released = await tx.query<{ id: string; intent_id: string; wallet_id: string; currency: string; max_minor: number; actor_id: string }>(
    `UPDATE tokens SET status = '${status}', used_at = now(), card_number = NULL WHERE status = 'active' AND ${condition}
     RETURNING id, intent_id, wallet_id, currency, max_minor, (SELECT actor_id FROM intents WHERE intents.id = tokens.intent_id) AS actor_id`,
    [param],
  );
  for (const token of released) {
    await postJournal(tx, {
      id: `release:${token.id}`,
      kind: 'release',
      currency: token.currency,
      intentId: token.intent_id,
      tokenId: token.id,
      transfers: [{ from: accounts.holds(token.wallet_id), to: accounts.funding(token.wallet_id), minor: token.max_minor }],
    });
    // A quota payment that was never charged gives its budget back.
    await tx.query(
      `UPDATE quota_usage q SET spent_minor = GREATEST(q.spent_minor - i.amount_minor, 0) FROM intents i
       WHERE i.id = $1 AND i.quota_period_start IS NOT NULL
         AND q.actor_id = i.actor_id AND q.period_start = i.quota_period_start AND q.currency = i.currency`,
      [token.intent_id],
    );
    if (endedReason && status === 'revoked') {
      await tx.query('UPDATE intents SET ended_reason = COALESCE(ended_reason, $2) WHERE id = $1', [token.intent_id, endedReason]);
    }
    outbox.push({ type: 'intent.ended', walletId: token.wallet_id, actorId: token.actor_id, intentId: token.intent_id, token: status });
  }
  return released.map((t) => ({ tokenId: t.id, intentId: t.intent_id, walletId: t.wallet_id, currency: t.currency, maxMinor: t.max_minor }));
}
