import {
  AgentPayPayload, AgentPayRequirements, type FacilitatorRequest, formatMoney, ProtocolError, requiredMoney,
  type SettleResponse, type VerifyResponse,
} from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import { chargeToken } from '../merchant/charges.ts';
import type { Queryable } from '../store/database.ts';
import { relayNetwork } from './network.ts';

/**
 * The relay as the x402 facilitator of its own network: `/verify` says whether a payment payload
 * would pay the merchant's requirements now, `/settle` charges it. Each refusal has its own reason
 * code (the relay's error codes), so a merchant can tell a used token from a forged one.
 */

/** Why a payment does not pay the requirements: an x402 reason code and a sentence. */
export class PaymentRefused extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

interface Checked {
  requirements: AgentPayRequirements;
  token: string;
}

/** Everything that can be judged without the token's row: the shapes, the network, the merchant, what was accepted. */
export function checkRequest(ctx: RelayContext, merchantId: string, request: FacilitatorRequest): Checked {
  const parsed = AgentPayRequirements.safeParse(request.paymentRequirements);
  if (!parsed.success) {
    throw new PaymentRefused('invalid_payment_requirements', `paymentRequirements are not AgentPay's: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const requirements = parsed.data;
  const network = relayNetwork(ctx);
  if (requirements.network !== network) throw new PaymentRefused('invalid_network', `this relay settles ${network}, not ${requirements.network}`);
  if (requirements.payTo !== merchantId) throw new PaymentRefused('payto_not_caller', `the requirements pay ${requirements.payTo}, but merchant ${merchantId} asked`);
  const accepted = request.paymentPayload.accepted;
  for (const field of ['scheme', 'network', 'amount', 'asset', 'payTo'] as const) {
    if (accepted[field] !== requirements[field]) {
      throw new PaymentRefused('accepted_mismatch', `the payment accepted ${field} ${JSON.stringify(accepted[field])}, but the requirements say ${JSON.stringify(requirements[field])}`);
    }
  }
  const payload = AgentPayPayload.safeParse(request.paymentPayload.payload);
  if (!payload.success) throw new PaymentRefused('invalid_payload', 'the payload is not { token: <the secret of a token this relay granted> }');
  return { requirements, token: payload.data.token };
}

interface TokenFacts {
  id: string;
  merchant_id: string;
  currency: string;
  max_minor: number;
  expires_at: Date;
  status: string;
  actor_id: string;
}

/** The token judged against the requirements, without charging it; `payer` is the agent or device that asked for it. */
async function judgeToken(ctx: RelayContext, db: Queryable, { requirements, token }: Checked): Promise<{ payer: string }> {
  const [row] = await db.query<TokenFacts>(
    `SELECT t.id, t.merchant_id, t.currency, t.max_minor, t.expires_at, t.status, i.actor_id
       FROM tokens t JOIN intents i ON i.id = t.intent_id WHERE t.secret_hash = $1`,
    [ctx.vault.hash(token)],
  );
  if (!row) throw new PaymentRefused('token_not_found', 'no such token: it was never issued by this relay');
  if (row.merchant_id !== requirements.payTo) throw new PaymentRefused('token_merchant_mismatch', `token ${row.id} is bound to another merchant`);
  if (row.status === 'charged') throw new PaymentRefused('token_already_used', `token ${row.id} was already charged; tokens are single-use`);
  if (row.status === 'revoked') throw new PaymentRefused('token_revoked', `token ${row.id} was revoked`);
  if (row.status === 'expired' || row.expires_at.getTime() <= ctx.now().getTime()) throw new PaymentRefused('token_expired', `token ${row.id} expired at ${row.expires_at.toISOString()}`);
  if (row.currency !== requirements.asset) throw new PaymentRefused('token_currency_mismatch', `token ${row.id} is for ${row.currency}, not ${requirements.asset}`);
  const asked = requiredMoney(requirements);
  if (row.max_minor !== asked.minor) {
    // `exact`: the user approved one amount, and that amount is what is paid.
    throw new PaymentRefused('token_amount_mismatch', `token ${row.id} pays exactly ${formatMoney({ minor: row.max_minor, currency: row.currency })}, not ${formatMoney(asked)}`);
  }
  return { payer: row.actor_id };
}

/** How long a verified payment is held for its settle: verify, the merchant's handler, settle. */
export const SETTLE_HOLD_SECONDS = 60;
/** Holds one token may take, so a merchant cannot keep re-verifying to stop its agent withdrawing it. */
export const MAX_SETTLE_HOLDS = 3;

/** After a hold was not taken: what the token's row says now (another request won the race to use, revoke or hold it). */
async function whyNotHeld(ctx: RelayContext, token: string, now: Date): Promise<PaymentRefused> {
  const [row] = await ctx.db.query<{ id: string; status: string; expires_at: Date; settling_until: Date | null; settle_holds: number }>(
    'SELECT id, status, expires_at, settling_until, settle_holds FROM tokens WHERE secret_hash = $1', [ctx.vault.hash(token)],
  );
  if (!row) return new PaymentRefused('token_not_found', 'no such token: it was never issued by this relay');
  if (row.status === 'charged') return new PaymentRefused('token_already_used', `token ${row.id} was already charged; tokens are single-use`);
  if (row.status === 'revoked') return new PaymentRefused('token_revoked', `token ${row.id} was revoked`);
  if (row.status === 'expired' || row.expires_at <= now) return new PaymentRefused('token_expired', `token ${row.id} expired at ${row.expires_at.toISOString()}`);
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

/** Charges the token once, inside the caller's transaction; a second settle of the same token is refused. */
export async function settlePayment(ctx: RelayContext, tx: Queryable, outbox: RelayEvent[], merchantId: string, request: FacilitatorRequest): Promise<SettleResponse> {
  const network = relayNetwork(ctx);
  try {
    const checked = checkRequest(ctx, merchantId, request);
    const { payer } = await judgeToken(ctx, tx, checked);
    const charge = await chargeToken(ctx, tx, outbox, merchantId, {
      token: checked.token, amount: requiredMoney(checked.requirements), reference: checked.requirements.extra.reference,
    });
    return { success: true, payer, transaction: charge.id, network, amount: String(charge.amount.minor) };
  } catch (error) {
    if (error instanceof PaymentRefused) return { success: false, errorReason: error.reason, errorMessage: error.message, transaction: '', network };
    // chargeToken's own refusals (a token used or revoked between the look and the lock) keep their codes.
    if (error instanceof ProtocolError && error.status < 500) return { success: false, errorReason: error.code, errorMessage: error.message, transaction: '', network };
    throw error;
  }
}
