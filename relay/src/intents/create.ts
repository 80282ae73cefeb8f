import type { Category, Decision, Intent, IntentRequest, IntentStatus, MandateDocument, TokenGrant } from '@agentpay/protocol';
import { newId, ProtocolError, REQUEST_WINDOW_MS } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { ActorPrincipal } from '../identity/principals.ts';
import { periodStart } from '../mandates/clock.ts';
import { evaluateMandate, type MandateVerdict, merchantsNamed, reason } from '../mandates/evaluate.ts';
import { debitQuota } from '../mandates/quota.ts';
import { merchantAndMandate } from '../mandates/store.ts';
import { normaliseOrigin } from '../identity/register.ts';
import { assessRisk, originMismatch, originShared, readHabits } from '../risk/risk.ts';
import type { Queryable } from '../store/database.ts';
import { issueToken } from '../vault/tokens.ts';
import { checkClaims } from './claims.ts';
import { confirmationRequest } from './confirmation-request.ts';
import { type IntentRow, toIntent } from './model.ts';

/**
 * Decides a new intent by the actor's mandate and the risk checks, and
 * records it with its reasons: approved (with a token), held for the user's
 * confirmation, or declined.
 */
export async function createIntent(
  ctx: RelayContext,
  tx: Queryable,
  outbox: RelayEvent[],
  actor: ActorPrincipal,
  asked: IntentRequest,
): Promise<Intent> {
  const now = ctx.now();
  refuseIfStale(ctx, asked, now);
  checkClaims(actor, asked);

  const origin = asked.context?.origin === undefined ? null : normaliseOrigin(asked.context.origin);
  const { merchantKnown, merchantOrigins, merchantCategory, othersProvingOrigin, actorStatus, mandate } = await merchantAndMandate(tx, asked.merchantId, actor.id, origin);
  // What the checkout stated, else what the merchant registered it sells, else other: never the checkout's shape.
  const request: DecidedRequest = { ...asked, category: asked.category ?? merchantCategory ?? 'other' };
  // The signer's key may come from a short cache; its status is read here, so pause and revoke act at once.
  if (actorStatus === 'revoked') throw new ProtocolError('agent_revoked', `${actor.kind} ${actor.id} was revoked by its wallet`, 403);
  if (!merchantKnown) throw new ProtocolError('unknown_merchant', `merchant "${request.merchantId}" is not registered with this relay`, 422);

  const id = newId('intent');
  let decision: Decision;
  let quotaPeriod: Date | null = null;
  let quotaSpentAfter: number | null = null;

  if (actorStatus === 'paused') {
    decision = { outcome: 'decline', mandateId: mandate?.id ?? null, ruleId: null, reasons: [reason('agent_paused', `${actor.name} is paused by its wallet`)], risk: [] };
  } else {
    const verdict = judgeByMandate(mandate?.document ?? null, request, merchantCategory, now);
    decision = { outcome: 'confirm', mandateId: mandate?.id ?? null, ruleId: null, reasons: verdict.reasons, risk: [] };
    if (verdict.outcome === 'decline' || verdict.outcome === 'confirm') {
      decision.outcome = verdict.outcome;
      // Held anyway, but the user should still see that the checkout's origin is not the merchant's.
      const mismatch = verdict.outcome === 'confirm' && originMismatch(request.context.origin, { id: request.merchantId, origins: merchantOrigins }, normaliseOrigin);
      if (mismatch) decision.risk.push(mismatch);
      const shared = verdict.outcome === 'confirm' && originShared(origin, merchantOrigins, othersProvingOrigin);
      if (shared) decision.risk.push(shared);
    } else {
      const habits = await readHabits(tx, { actorId: actor.id, walletId: actor.walletId, merchantId: request.merchantId, currency: request.amount.currency, now });
      decision.risk = assessRisk(habits, request, {
        ...ctx.config,
        merchantNamed: merchantsNamed(mandate!.document).includes(request.merchantId),
      });
      const mismatch = originMismatch(request.context.origin, { id: request.merchantId, origins: merchantOrigins }, normaliseOrigin);
      if (mismatch) decision.risk.push(mismatch);
      const shared = originShared(origin, merchantOrigins, othersProvingOrigin);
      if (shared) decision.risk.push(shared);
      if (verdict.outcome === 'approve') decision.ruleId = verdict.ruleId;
      if (decision.risk.length === 0) decision.outcome = 'approve';
      if (decision.outcome === 'approve' && verdict.outcome === 'quota' && mandate!.document.kind === 'quota') {
        const quota = mandate!.document;
        quotaPeriod = periodStart(now, quota.period, quota.timeZone);
        const spent = await debitQuota(tx, {
          actorId: actor.id, periodStart: quotaPeriod, currency: quota.budget.currency, budgetMinor: quota.budget.minor, minor: request.amount.minor,
        });
        quotaSpentAfter = spent;
        if (spent === null) {
          quotaPeriod = null;
          decision.outcome = 'confirm';
          decision.reasons = [reason('quota_exhausted', `the ${quota.period}'s budget cannot cover this payment`)];
        }
      }
    }
  }

  const status: IntentStatus =
    decision.outcome === 'approve' ? 'approved' : decision.outcome === 'confirm' ? 'pending_confirmation' : 'declined';
  const confirmBy = status === 'pending_confirmation' ? new Date(now.getTime() + ctx.config.confirmTtlSeconds * 1000) : null;
  // The intent and its audit entry in one round trip: this is on every payment's path.
  const [row] = await tx.query<IntentRow>(
    `WITH audit AS (
       INSERT INTO audit_log (wallet_id, principal, action, subject, details) VALUES ($2, $3, $21, $1, $15::jsonb))
     INSERT INTO intents (id, wallet_id, actor_id, merchant_id, amount_minor, currency, line_items, category, channel,
       description, task_id, context, evidence, status, decision, mandate_id, quota_period_start, confirm_by, client_created_at, created_at,
       approved_at, quota_spent_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15::jsonb, $16, $17, $18, $19, $20,
       CASE WHEN $14 = 'approved' THEN clock_timestamp() END, $22)
     RETURNING *`,
    [
      id, actor.walletId, actor.id, request.merchantId, request.amount.minor, request.amount.currency,
      JSON.stringify(request.lineItems), request.category, request.channel, request.description ?? null, request.taskId ?? null,
      JSON.stringify(request.context), request.evidence ? JSON.stringify(request.evidence) : null, status, JSON.stringify(decision),
      decision.mandateId, quotaPeriod, confirmBy, request.createdAt ?? null, now, `intent.${status}`, quotaSpentAfter,
    ],
  );

  let token: TokenGrant | undefined;
  if (status === 'approved') {
    token = await issueToken(ctx, tx, {
      id, walletId: actor.walletId, merchantId: request.merchantId, currency: request.amount.currency, maxMinor: request.amount.minor,
    });
  }

  const intent = toIntent(row!, token);
  outbox.push({ type: 'intent.updated', walletId: actor.walletId, actorId: actor.id, intent: toIntent(row!), cause: 'created' });
  if (status === 'pending_confirmation') {
    outbox.push({ type: 'confirmation.requested', walletId: actor.walletId, request: await confirmationRequest(tx, row!, actor.name) });
  }
  return intent;
}

const SEVERITY: Record<MandateVerdict['outcome'], number> = { approve: 0, quota: 0, confirm: 1, decline: 2 };

/**
 * The mandate's verdict on the category the request states, and, when the merchant registered another
 * one, also on that: the stricter wins. The category is stated by the agent the mandate limits, so a
 * stated category never takes a payment past a block, a deny or an allow list that the merchant's own
 * category falls under (an agent naming "groceries" at a shop registered as entertainment).
 */
function judgeByMandate(mandate: MandateDocument | null, request: DecidedRequest, merchantCategory: Category | null, now: Date): MandateVerdict {
  const stated = evaluateMandate(mandate, request, now);
  if (!merchantCategory || merchantCategory === request.category) return stated;
  const registered = evaluateMandate(mandate, { ...request, category: merchantCategory }, now);
  if (SEVERITY[registered.outcome] <= SEVERITY[stated.outcome]) return stated;
  const note = ` (the merchant's registered category, though the payment states ${request.category})`;
  return { ...registered, reasons: registered.reasons.map((r) => ({ ...r, message: `${r.message}${note}` })) } as MandateVerdict;
}

/** An intent request with its category settled, as mandates and risk checks judge it. */
export type DecidedRequest = IntentRequest & { category: Category };

function refuseIfStale(ctx: RelayContext, request: IntentRequest, now: Date): void {
  if (!request.createdAt) return;
  const ageSeconds = (now.getTime() - new Date(request.createdAt).getTime()) / 1000;
  // A time in the future would never grow stale: beyond the clock skew signatures allow, it is refused.
  if (-ageSeconds * 1000 > REQUEST_WINDOW_MS) {
    throw new ProtocolError('invalid_request', `createdAt ${request.createdAt} is in the future by the relay's clock (${now.toISOString()})`, 400, [
      { path: 'createdAt', message: 'must not be in the future' },
    ]);
  }
  if (ageSeconds > ctx.config.maxIntentAgeSeconds) {
    const minutes = Math.round(ageSeconds / 60);
    throw new ProtocolError(
      'stale_intent',
      `This payment was asked for ${minutes} minute${minutes === 1 ? '' : 's'} ago, longer than the ${Math.round(ctx.config.maxIntentAgeSeconds / 60)} minutes allowed, so it was not paid. Please ask again.`,
      409,
    );
  }
}

