import {
  AGENTPAY_UPTO_SCHEME, AgentPayPayload, AgentPayRequirements, type FacilitatorRequest, formatMoney, type Money, ProtocolError, requiredMoney,
  type SettleResponse, UptoSettleAmount, type VerifyResponse,
} from '@agentpay/protocol';
import { audit } from '../audit/audit.ts';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { chargeToken } from '../merchant/charges.ts';
import type { Queryable } from '../store/database.ts';
import { releaseTokens } from '../vault/tokens.ts';
import { relayNetwork } from './network.ts';

/**
 * The relay as the x402 facilitator of its own network: `/verify` says whether a payment payload
 * would pay the merchant's requirements now, `/settle` charges it. Each refusal has its own reason
 * code (the relay's error codes), so a merchant can tell a used token from a forged one.
 *
 * Two schemes: `exact` (the token pays its amount) and `upto` (x402's metered scheme: the token
 * allows the requirements' amount as a maximum; at settle the merchant's requirements name the
 * actual amount, at most that maximum, maybe 0). Either way a token is settled at most once.
 */

/** Why a payment does not pay the requirements: an x402 reason code and a sentence. */
export class PaymentRefused extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

interface Checked {
  /** The requirements as verified: under `upto` their amount is the maximum the token must allow. */
  requirements: AgentPayRequirements;
  token: string;
  /** What a settle charges: the amount, or under `upto` the actual amount the merchant settles (maybe 0). */
  charge: Money;
}

const describeIssues = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * Everything that can be judged without the token's row: the shapes, the network, the merchant, what
 * was accepted. At an `upto` settle the requirements' amount is the actual amount (x402's upto: it is
 * phase-dependent), so the maximum is what the payment accepted, and the actual amount must not exceed it.
 */
export function checkRequest(ctx: RelayContext, merchantId: string, request: FacilitatorRequest, phase: 'verify' | 'settle' = 'verify'): Checked {
  const accepted = request.paymentPayload.accepted;
  const asked = request.paymentRequirements;
  const uptoSettle = phase === 'settle' && asked.scheme === AGENTPAY_UPTO_SCHEME;
  let actual: string | undefined;
  if (uptoSettle) {
    const amount = UptoSettleAmount.safeParse(asked.amount);
    if (!amount.success) throw new PaymentRefused('invalid_payment_requirements', `paymentRequirements.amount (what an upto settle charges): ${describeIssues(amount.error)}`);
    actual = amount.data;
  }
  // An upto settle's requirements are read with the maximum the payment accepted, so its line items still add up.
  const parsed = AgentPayRequirements.safeParse(uptoSettle ? { ...asked, amount: accepted.amount } : asked);
  if (!parsed.success) {
    throw new PaymentRefused('invalid_payment_requirements', `paymentRequirements are not AgentPay's: ${describeIssues(parsed.error)}`);
  }
  const requirements = parsed.data;
  const network = relayNetwork(ctx);
  if (requirements.network !== network) throw new PaymentRefused('invalid_network', `this relay settles ${network}, not ${requirements.network}`);
  if (requirements.payTo !== merchantId) throw new PaymentRefused('payto_not_caller', `the requirements pay ${requirements.payTo}, but merchant ${merchantId} asked`);
  for (const field of ['scheme', 'network', 'amount', 'asset', 'payTo'] as const) {
    if (accepted[field] !== requirements[field]) {
      throw new PaymentRefused('accepted_mismatch', `the payment accepted ${field} ${JSON.stringify(accepted[field])}, but the requirements say ${JSON.stringify(requirements[field])}`);
    }
  }
  const maximum = requiredMoney(requirements);
  const charge = actual === undefined ? maximum : { minor: Number(actual), currency: requirements.asset };
  if (charge.minor > maximum.minor) {
    throw new PaymentRefused('upto_amount_exceeds_maximum', `the settle asks ${formatMoney(charge)}, more than the ${formatMoney(maximum)} the payment allows`);
  }
  const payload = AgentPayPayload.safeParse(request.paymentPayload.payload);
  if (!payload.success) throw new PaymentRefused('invalid_payload', 'the payload is not { token: <the secret of a token this relay granted> }');
  return { requirements, token: payload.data.token, charge };
}

/**
 * Why an `upto` token settled at 0 ended (its intent's `ended_reason`, what the wallet shows): no
 * charge was made, so the token is revoked and its hold released, and marked `settled_at_zero` so
 * that a second settle of it is known for what it is (`token_already_used`, not `token_revoked`).
 */
export const SETTLED_AT_ZERO = 'the merchant settled it at 0: what it served cost nothing';

interface TokenState {
  id: string;
  status: string;
  expires_at: Date;
  settled_at_zero: boolean;
}

/** A token that can no longer be used, as a refusal; undefined while it is active and unexpired. */
function unusable(row: TokenState, now: Date): PaymentRefused | undefined {
  if (row.status === 'charged') return new PaymentRefused('token_already_used', `token ${row.id} was already charged; tokens are single-use`);
  if (row.status === 'revoked' && row.settled_at_zero) {
    return new PaymentRefused('token_already_used', `token ${row.id} was already settled (at 0); tokens are single-use`);
  }
  if (row.status === 'revoked') return new PaymentRefused('token_revoked', `token ${row.id} was revoked`);
  if (row.status === 'expired' || row.expires_at.getTime() <= now.getTime()) return new PaymentRefused('token_expired', `token ${row.id} expired at ${row.expires_at.toISOString()}`);
  return undefined;
}

interface TokenFacts extends TokenState {
  merchant_id: string;
  currency: string;
  max_minor: number;
  actor_id: string;
}

/** The token judged against the requirements, without charging it; `payer` is the agent or device that asked for it. */
async function judgeToken(ctx: RelayContext, db: Queryable, { requirements, token }: Checked): Promise<{ payer: string }> {
  const [row] = await db.query<TokenFacts>(
    `SELECT t.id, t.merchant_id, t.currency, t.max_minor, t.expires_at, t.status, t.settled_at_zero, i.actor_id
       FROM tokens t JOIN intents i ON i.id = t.intent_id WHERE t.secret_hash = $1`,
    [ctx.vault.hash(token)],
  );
  if (!row) throw new PaymentRefused('token_not_found', 'no such token: it was never issued by this relay');
  if (row.merchant_id !== requirements.payTo) throw new PaymentRefused('token_merchant_mismatch', `token ${row.id} is bound to another merchant`);
  const refusal = unusable(row, ctx.now());
  if (refusal) throw refusal;
  if (row.currency !== requirements.asset) throw new PaymentRefused('token_currency_mismatch', `token ${row.id} is for ${row.currency}, not ${requirements.asset}`);
  const asked = requiredMoney(requirements);
  if (row.max_minor !== asked.minor) {
    const allowed = formatMoney({ minor: row.max_minor, currency: row.currency });
    // `exact`: the user approved one amount, and that amount is what is paid. `upto`: the user
    // approved the maximum, and the token allows exactly that maximum.
    throw new PaymentRefused('token_amount_mismatch', requirements.scheme === AGENTPAY_UPTO_SCHEME
      ? `token ${row.id} allows up to ${allowed}, but the requirements' maximum is ${formatMoney(asked)}`
      : `token ${row.id} pays exactly ${allowed}, not ${formatMoney(asked)}`);
  }
  return { payer: row.actor_id };
}

/** How long a verified payment is held for its settle: verify, the merchant's handler, settle. */
export const SETTLE_HOLD_SECONDS = 60;
/** Holds one token may take, so a merchant cannot keep re-verifying to stop its agent withdrawing it. */
export const MAX_SETTLE_HOLDS = 3;

/** After a hold was not taken: what the token's row says now (another request won the race to use, revoke or hold it). */
async function whyNotHeld(ctx: RelayContext, token: string, now: Date): Promise<PaymentRefused> {
  const [row] = await ctx.db.query<TokenState & { settling_until: Date | null; settle_holds: number }>(
    `SELECT id, status, expires_at, settling_until, settle_holds, settled_at_zero FROM tokens WHERE secret_hash = $1`, [ctx.vault.hash(token)],
  );
  if (!row) return new PaymentRefused('token_not_found', 'no such token: it was never issued by this relay');
  const refusal = unusable(row, now);
  if (refusal) return refusal;
  if (row.settling_until && row.settling_until > now) {
    return new PaymentRefused('token_in_use', `another request is paying with this token now; it is held for that payment until ${row.settling_until.toISOString()}`);
  }
  return new PaymentRefused('token_holds_exhausted', `token ${row.id} was verified ${row.settle_holds} times without being settled; settle it, or ask for a new payment`);
}

/**
 * Judges the payment and, when it would pay, holds the token for this merchant's settle: a copy of
 * the same payment verified meanwhile is refused (`token_in_use`), so the merchant's paid handler
 * runs once per payment even when verify comes before it and settle after.
 */
export async function verifyPayment(ctx: RelayContext, merchantId: string, request: FacilitatorRequest): Promise<VerifyResponse> {
  try {
    const checked = checkRequest(ctx, merchantId, request);
    const { payer } = await judgeToken(ctx, ctx.db, checked);
    const now = ctx.now();
    const held = await ctx.db.query(
      `UPDATE tokens SET settling_until = $2, settle_holds = settle_holds + 1
        WHERE secret_hash = $1 AND status = 'active' AND expires_at > $3 AND (settling_until IS NULL OR settling_until <= $3) AND settle_holds < $4
        RETURNING id`,
      [ctx.vault.hash(checked.token), new Date(now.getTime() + SETTLE_HOLD_SECONDS * 1000), now, MAX_SETTLE_HOLDS],
    );
    if (held.length === 0) throw await whyNotHeld(ctx, checked.token, now);
    return { isValid: true, payer };
  } catch (error) {
    if (error instanceof PaymentRefused) return { isValid: false, invalidReason: error.reason, invalidMessage: error.message };
    throw error;
  }
}

/**
 * Charges the token once, inside the caller's transaction; a second settle of the same token is
 * refused. Under `upto` it charges the actual amount and the rest of the hold goes back to the user
 * (chargeToken does that); an actual amount of 0 charges nothing: the token ends (revoked, its whole
 * hold released and its quota given back) and the answer is a success with amount "0" and no
 * transaction, as x402's upto facilitators answer a zero settle.
 */
export async function settlePayment(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], merchantId: string, request: FacilitatorRequest): Promise<SettleResponse> {
  const network = relayNetwork(ctx);
  try {
    const checked = checkRequest(ctx, merchantId, request, 'settle');
    const { payer } = await judgeToken(ctx, tx, checked);
    if (checked.charge.minor === 0) {
      await settleAtZero(ctx, tx, outbox, merchantId, checked.token);
      return { success: true, payer, transaction: '', network, amount: '0' };
    }
    const charge = await chargeToken(ctx, tx, outbox, merchantId, {
      token: checked.token, amount: checked.charge, reference: checked.requirements.extra.reference,
    });
    return { success: true, payer, transaction: charge.id, network, amount: String(charge.amount.minor) };
  } catch (error) {
    if (error instanceof PaymentRefused) return { success: false, errorReason: error.reason, errorMessage: error.message, transaction: '', network };
    // chargeToken's own refusals (a token used or revoked between the look and the lock) keep their codes.
    if (error instanceof ProtocolError && error.status < 500) return { success: false, errorReason: error.code, errorMessage: error.message, transaction: '', network };
    throw error;
  }
}

/**
 * An `upto` payment the merchant settled at 0: its intent's row and then its token's are locked (the
 * order a cancel takes them), so concurrent settles of it are judged one after another on what the
 * first did, as chargeToken's are; then the token is revoked and its hold and quota released, with
 * `SETTLED_AT_ZERO` as the payment's end.
 */
async function settleAtZero(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], merchantId: string, token: string): Promise<void> {
  const [found] = await tx.query<{ intent_id: string }>('SELECT intent_id FROM tokens WHERE secret_hash = $1', [ctx.vault.hash(token)]);
  if (!found) throw new PaymentRefused('token_not_found', 'no such token: it was never issued by this relay');
  // Each read after its lock, in its own statement: what another settle (or the user's cancel) did meanwhile is seen.
  await tx.query('SELECT 1 FROM intents WHERE id = $1 FOR NO KEY UPDATE', [found.intent_id]);
  const [row] = await tx.query<TokenState & { wallet_id: string; merchant_id: string }>(
    'SELECT id, wallet_id, merchant_id, status, expires_at, settled_at_zero FROM tokens WHERE intent_id = $1 FOR NO KEY UPDATE', [found.intent_id],
  );
  if (row!.merchant_id !== merchantId) throw new PaymentRefused('token_merchant_mismatch', `token ${row!.id} is bound to another merchant`);
  const refusal = unusable(row!, ctx.now());
  if (refusal) throw refusal;
  const released = await releaseTokens(tx, outbox, { intentId: found.intent_id }, SETTLED_AT_ZERO);
  if (released.length === 0) throw new Error(`token ${row!.id} changed under its row lock`);
  await tx.query('UPDATE tokens SET settled_at_zero = true WHERE id = $1', [row!.id]);
  await audit(tx, { walletId: row!.wallet_id, principal: merchantId, action: 'x402.settled_at_zero', subject: found.intent_id, details: { tokenId: row!.id } });
}
