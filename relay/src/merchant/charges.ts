import type { CardDetails, Charge, ChargeRequest, Refund } from '@agentpay/protocol';
import { timingSafeEqual } from 'node:crypto';
import { formatMoney, newId, ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { audit } from '../audit/audit.ts';
import { accounts, postJournal } from '../ledger/ledger.ts';
import { creditQuota } from '../mandates/quota.ts';
import { recordProgress } from '../progress/progress.ts';
import { RetryLater } from '../http/retry-later.ts';
import { RefusalWithEffect } from '../idempotency/command.ts';
import type { Queryable } from '../store/database.ts';
import { cardExpiry } from '../vault/card.ts';
import { takeBackCredits } from '../credits/purchases.ts';
import { releaseTokens } from '../vault/tokens.ts';

interface TokenRow {
  id: string;
  cvc_failures: number;
  intent_id: string;
  wallet_id: string;
  merchant_id: string;
  currency: string;
  max_minor: number;
  expires_at: Date;
  status: 'active' | 'charged' | 'expired' | 'revoked';
}

const TOKEN_COLUMNS = 'SELECT id, intent_id, wallet_id, merchant_id, currency, max_minor, expires_at, status, cvc_failures FROM tokens';

/** Wrong CVCs a card token takes before it is revoked, so the 1,000 possible CVCs cannot be tried. */
export const MAX_CVC_FAILURES = 3;

/**
 * The card form's expiry and CVC must be the token's. The caller holds the token's row lock, so
 * guesses at one token are judged one at a time; a wrong CVC is counted in the same transaction
 * (which commits with the refusal), and the third revokes the token and releases its hold.
 */
function checkCard(ctx: RelayContext, token: TokenRow, card: CardDetails): void {
  const expiry = cardExpiry(token.expires_at);
  if (card.expMonth !== expiry.expMonth || card.expYear !== expiry.expYear) {
    throw new ProtocolError('card_declined', `card declined: expMonth/expYear ${card.expMonth}/${card.expYear} is not this card's expiry`, 402);
  }
  const expected = Buffer.from(ctx.vault.cvcFor(token.id));
  const given = Buffer.from(card.cvc);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  const failures = token.cvc_failures + 1;
  const revoked = failures >= MAX_CVC_FAILURES;
  const message = revoked
    ? `card declined: cvc is wrong, ${MAX_CVC_FAILURES} times now, so token ${token.id} is revoked and its hold released`
    : `card declined: cvc is wrong (${failures} of ${MAX_CVC_FAILURES} attempts before the token is revoked)`;
  throw new RefusalWithEffect(new ProtocolError('card_declined', message, 402), async (tx, outbox) => {
    await tx.query('UPDATE tokens SET cvc_failures = $2 WHERE id = $1', [token.id, failures]);
    if (revoked) {
      await releaseTokens(tx, outbox, { intentId: token.intent_id }, `the shop entered the card's security code wrong ${MAX_CVC_FAILURES} times, so the approval was withdrawn`);
      await audit(tx, { walletId: token.wallet_id, principal: 'relay', action: 'token.revoked', subject: token.intent_id, details: { tokenId: token.id, reason: 'too many wrong card CVCs' } });
    }
  });
}

/**
 * The token a charge names, its row locked until the charge's transaction ends, so that concurrent
 * attempts at one token are judged one after another on its current state. A card that is not one of
 * this merchant's tokens (never issued, or another merchant's) gets one answer either way, and counts
 * towards the merchant's card refusals.
 */
async function lockToken(ctx: RelayContext, tx: Queryable, merchantId: string, request: ChargeRequest): Promise<TokenRow> {
  if (request.card) {
    const wait = ctx.cardRefusals.retryAfterMs(merchantId);
    if (wait > 0) {
      throw new RetryLater(`too many card charges naming cards that are not yours; try again in ${Math.ceil(wait / 1000)} s`, Math.ceil(wait / 1000));
    }
    const [token] = await tx.query<TokenRow>(`${TOKEN_COLUMNS} WHERE card_hash = $1 FOR NO KEY UPDATE`, [ctx.vault.cardHash(request.card.number)]);
    if (token && token.merchant_id === merchantId) return token;
    ctx.cardRefusals.hit(merchantId);
    throw new ProtocolError('card_declined', `card declined: this is not a card issued to merchant ${merchantId}`, 402);
  }
  const [token] = await tx.query<TokenRow>(`${TOKEN_COLUMNS} WHERE secret_hash = $1 FOR NO KEY UPDATE`, [ctx.vault.hash(request.token!)]);
  if (!token) throw new ProtocolError('token_not_found', 'no such token: it was never issued by this relay', 404);
  if (token.merchant_id !== merchantId) throw new ProtocolError('token_merchant_mismatch', `token ${token.id} is bound to another merchant`, 403);
  return token;
}

export interface ChargeRow {
  id: string;
  token_id: string;
  intent_id: string;
  merchant_id: string;
  wallet_id: string;
  amount_minor: number;
  currency: string;
  refunded_minor: number;
  reference: string | null;
  created_at: Date;
}

/**
 * Charges a single-use token. Every refusal has its own code; the final
 * `UPDATE … WHERE status = 'active'` is what makes the token single-use under
 * concurrency (on PostgreSQL the losers wait on the row and then find it used),
 * and the charges table's UNIQUE (token_id) backs it up.
 */
export async function chargeToken(
  ctx: RelayContext,
  tx: Queryable,
  outbox: RelayEvent[],
  merchantId: string,
  request: ChargeRequest,
): Promise<Charge> {
  const token = await lockToken(ctx, tx, merchantId, request);
  // Read after the lock: however long the wait for it, expiry is judged at the moment of charging.
  const now = ctx.now();
  if (token.status === 'charged') throw new ProtocolError('token_already_used', `token ${token.id} was already charged; tokens are single-use`, 409);
  if (token.status === 'revoked') throw new ProtocolError('token_revoked', `token ${token.id} was revoked`, 410);
  if (token.status === 'expired' || token.expires_at.getTime() <= now.getTime()) {
    throw new ProtocolError('token_expired', `token ${token.id} expired at ${token.expires_at.toISOString()}`, 410);
  }
  if (request.card) checkCard(ctx, token, request.card);
  if (request.amount.currency !== token.currency) {
    throw new ProtocolError('token_currency_mismatch', `token ${token.id} is for ${token.currency}, not ${request.amount.currency}`, 422);
  }
  if (request.amount.minor > token.max_minor) {
    throw new ProtocolError('token_amount_exceeded', `${formatMoney(request.amount)} is above the ${formatMoney({ minor: token.max_minor, currency: token.currency })} this token allows`, 422);
  }
  if (request.amount.minor === 0) throw new ProtocolError('invalid_request', 'a charge must be above zero', 400);

  // The row is locked and was read active and unexpired: this cannot miss, but stays conditional.
  const used = await tx.query(
    `UPDATE tokens SET status = 'charged', used_at = $2, card_number = NULL WHERE id = $1 AND status = 'active' AND expires_at > $2 RETURNING 1`,
    [token.id, now],
  );
  if (used.length === 0) throw new Error(`token ${token.id} changed under its row lock`);

  const id = newId('charge');
  const [row] = await tx.query<ChargeRow>(
    `INSERT INTO charges (id, token_id, intent_id, merchant_id, wallet_id, amount_minor, currency, reference, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [id, token.id, token.intent_id, merchantId, token.wallet_id, request.amount.minor, token.currency, request.reference ?? null, now],
  );
  await postJournal(tx, {
    id: `charge:${id}`,
    kind: 'charge',
    currency: token.currency,
    intentId: token.intent_id,
    tokenId: token.id,
    chargeId: id,
    transfers: [
      { from: accounts.holds(token.wallet_id), to: accounts.merchant(merchantId), minor: request.amount.minor },
      // The unused part of the hold goes back to the user at once.
      { from: accounts.holds(token.wallet_id), to: accounts.funding(token.wallet_id), minor: token.max_minor - request.amount.minor },
    ],
  });
  const intent = await paidIntent(tx, token.intent_id);
  if (intent!.quota_period_start && token.max_minor > request.amount.minor) {
    await creditQuota(tx, { actorId: intent!.actor_id, periodStart: intent!.quota_period_start, currency: token.currency, minor: token.max_minor - request.amount.minor });
  }
  if (intent!.task_id) await recordProgress(tx, outbox, { walletId: token.wallet_id, actorId: intent!.actor_id, taskId: intent!.task_id, stage: 'paid', intentId: token.intent_id, message: `paid ${formatMoney(request.amount)}` });
  await audit(tx, { walletId: token.wallet_id, principal: merchantId, action: 'charge.succeeded', subject: token.intent_id, details: { chargeId: id, amount: request.amount } });
  outbox.push({ type: 'charge.succeeded', walletId: token.wallet_id, actorId: intent!.actor_id, intentId: token.intent_id, chargeId: id, amount: request.amount });
  return toCharge(row!);
}

/**
 * Refunds part or all of a charge. The conditional UPDATE refuses any refund
 * that would take the total above the charge, also under concurrency.
 */
export async function refundCharge(
  ctx: RelayContext,
  tx: Queryable,
  outbox: RelayEvent[],
  input: { chargeId: string; merchantId?: string; walletId?: string; minor?: number; currency?: string; reason?: string; initiatedBy: 'merchant' | 'wallet' },
): Promise<Refund> {
  const [charge] = await tx.query<ChargeRow>('SELECT * FROM charges WHERE id = $1', [input.chargeId]);
  if (!charge || (input.merchantId && charge.merchant_id !== input.merchantId) || (input.walletId && charge.wallet_id !== input.walletId)) {
    throw new ProtocolError('not_found', `no charge ${input.chargeId} here`, 404);
  }
  if (input.currency && input.currency !== charge.currency) {
    throw new ProtocolError('currency_mismatch', `charge ${charge.id} is in ${charge.currency}, not ${input.currency}`, 422);
  }
  const remaining = charge.amount_minor - charge.refunded_minor;
  const minor = input.minor ?? remaining;
  if (minor <= 0) {
    throw new ProtocolError('refund_exceeds_charge', `charge ${charge.id} is already fully refunded`, 409);
  }
  const id = newId('refund');
  // Credits a refunded purchase bought go back first: the account's row is locked before the
  // charge's, the order a vendor's credit refund takes them in, so the two never deadlock.
  await takeBackCredits(tx, { chargeId: charge.id, refundId: id, minor, currency: charge.currency });
  const updated = await tx.query(
    `UPDATE charges SET refunded_minor = refunded_minor + $2 WHERE id = $1 AND refunded_minor + $2 <= amount_minor RETURNING 1`,
    [charge.id, minor],
  );
  if (updated.length === 0) {
    const money = (m: number) => formatMoney({ minor: m, currency: charge.currency });
    // Read again: a refund racing this one changed what is left since the first read.
    const [now] = await tx.query<{ left: string }>('SELECT (amount_minor - refunded_minor)::int8 AS left FROM charges WHERE id = $1', [charge.id]);
    throw new ProtocolError('refund_exceeds_charge', `refunding ${money(minor)} would exceed charge ${charge.id} (${money(Number(now!.left))} left to refund)`, 409);
  }
  const [refund] = await tx.query<{ id: string; created_at: Date }>(
    `INSERT INTO refunds (id, charge_id, amount_minor, currency, reason, initiated_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
    [id, charge.id, minor, charge.currency, input.reason ?? null, input.initiatedBy, ctx.now()],
  );
  await postJournal(tx, {
    id: `refund:${id}`,
    kind: 'refund',
    currency: charge.currency,
    intentId: charge.intent_id,
    tokenId: charge.token_id,
    chargeId: charge.id,
    transfers: [{ from: accounts.merchant(charge.merchant_id), to: accounts.funding(charge.wallet_id), minor }],
  });
  const intent = await paidIntent(tx, charge.intent_id);
  if (intent!.quota_period_start) {
    await creditQuota(tx, { actorId: intent!.actor_id, periodStart: intent!.quota_period_start, currency: charge.currency, minor });
  }
  if (intent!.task_id) await recordProgress(tx, outbox, { walletId: charge.wallet_id, actorId: intent!.actor_id, taskId: intent!.task_id, stage: 'refunded', intentId: charge.intent_id, message: `refunded ${formatMoney({ minor, currency: charge.currency })}` });
  await audit(tx, { walletId: charge.wallet_id, principal: input.merchantId ?? input.walletId ?? 'relay', action: 'refund.succeeded', subject: charge.intent_id, details: { refundId: id, chargeId: charge.id, minor } });
  outbox.push({ type: 'refund.succeeded', walletId: charge.wallet_id, actorId: intent!.actor_id, intentId: charge.intent_id, chargeId: charge.id, amount: { minor, currency: charge.currency } });
  return {
    id,
    chargeId: charge.id,
    amount: { minor, currency: charge.currency },
    reason: input.reason ?? null,
    initiatedBy: input.initiatedBy,
    createdAt: refund!.created_at.toISOString(),
  };
}

/** Who made the intent a charge belongs to, its task and its quota period. */
async function paidIntent(tx: Queryable, intentId: string) {
  const [intent] = await tx.query<{ actor_id: string; task_id: string | null; quota_period_start: Date | null }>(
    'SELECT actor_id, task_id, quota_period_start FROM intents WHERE id = $1',
    [intentId],
  );
  return intent;
}

export function toCharge(row: ChargeRow): Charge {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    intentId: row.intent_id,
    tokenId: row.token_id,
    amount: { minor: row.amount_minor, currency: row.currency },
    refundedMinor: row.refunded_minor,
    status: row.refunded_minor === 0 ? 'succeeded' : row.refunded_minor < row.amount_minor ? 'partially_refunded' : 'refunded',
    reference: row.reference,
    createdAt: row.created_at.toISOString(),
  };
}
