import type { Money, Reason } from '@agentpay/protocol';
import { formatMoney } from '@agentpay/protocol';
import type { RelayConfig } from '../config.ts';
import type { Queryable } from '../store/database.ts';

/** What the relay knows of an agent's habits, read in one query. */
export interface ActorHabits {
  intentsLastMinute: number;
  spentLastHourMinor: number;
  /** Approved spend in the 7 days before the last hour. */
  spentPriorWeekMinor: number;
  approvedCount: number;
  medianMinor: number | null;
  /** Whether this wallet has paid the merchant before, through any agent. */
  merchantKnown: boolean;
}

/** Past behaviour needed before "far above usual" means anything. */
const MIN_HISTORY = 5;
const HOURS_IN_PRIOR_WEEK = 7 * 24 - 1;

export async function readHabits(
  tx: Queryable,
  input: { actorId: string; walletId: string; merchantId: string; currency: string; now: Date },
): Promise<ActorHabits> {
  const [row] = await tx.query<ActorHabits>(
    `SELECT
       COUNT(*) FILTER (WHERE created_at > $3::timestamptz - interval '1 minute')::int8 AS "intentsLastMinute",
       COALESCE(SUM(amount_minor) FILTER (WHERE ok AND created_at > $3::timestamptz - interval '1 hour'), 0)::int8 AS "spentLastHourMinor",
       COALESCE(SUM(amount_minor) FILTER (WHERE ok AND created_at <= $3::timestamptz - interval '1 hour'), 0)::int8 AS "spentPriorWeekMinor",
       COUNT(*) FILTER (WHERE ok)::int8 AS "approvedCount",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY amount_minor) FILTER (WHERE ok) AS "medianMinor",
       EXISTS (SELECT 1 FROM intents k WHERE k.wallet_id = $4 AND k.merchant_id = $5 AND k.status = 'approved') AS "merchantKnown"
     FROM (SELECT created_at, amount_minor, status = 'approved' AND currency = $2 AS ok
           FROM intents WHERE actor_id = $1 AND created_at > $3::timestamptz - interval '7 days') recent`,
    [input.actorId, input.currency, input.now.toISOString(), input.walletId, input.merchantId],
  );
  return row!;
}

/** Pure: the risk notes that send an otherwise approved payment to confirmation. */
export function assessRisk(
  habits: ActorHabits,
  intent: { amount: Money; merchantId: string },
  options: Pick<RelayConfig, 'riskMaxIntentsPerMinute' | 'riskAmountFactor' | 'riskSpendFactor'> & { merchantNamed: boolean },
): Reason[] {
  const notes: Reason[] = [];
  if (habits.intentsLastMinute >= options.riskMaxIntentsPerMinute) {
    notes.push({ code: 'rate_spike', message: `${habits.intentsLastMinute} payments in the last minute is unusually many` });
  }
  const median = habits.medianMinor === null ? null : Number(habits.medianMinor);
  if (habits.approvedCount >= MIN_HISTORY && median !== null) {
    if (intent.amount.minor > options.riskAmountFactor * median) {
      notes.push({
        code: 'amount_unusual',
        message: `${formatMoney(intent.amount)} is over ${options.riskAmountFactor}× this agent's usual ${formatMoney({ minor: Math.round(median), currency: intent.amount.currency })}`,
      });
    }
  }
  // A spend spike needs a past to stand out from: an agent's first hour is judged by rate and amount only.
  if (habits.approvedCount >= MIN_HISTORY && median !== null && habits.spentPriorWeekMinor > 0) {
    const typicalHour = Math.max(habits.spentPriorWeekMinor / HOURS_IN_PRIOR_WEEK, median);
    const hour = habits.spentLastHourMinor + intent.amount.minor;
    if (hour > options.riskSpendFactor * typicalHour) {
      notes.push({
        code: 'spend_spike',
        message: `${formatMoney({ minor: hour, currency: intent.amount.currency })} within an hour is far above this agent's usual spending`,
      });
    }
  }
  if (!habits.merchantKnown && !options.merchantNamed) {
    notes.push({ code: 'new_merchant', message: `this wallet has never paid merchant ${intent.merchantId} before` });
  }
  return notes;
}

/**
 * Pure: the note for a checkout seen at an origin the merchant has not proven,
 * e.g. a look-alike shop asking to be paid as a real one, or a merchant that
 * only claims a shop's origin. `merchant.origins` are its proven origins; the
 * origin is normalised by `normalise` (scheme://host[:port]) before comparing.
 */
export function originMismatch(
  origin: string | undefined,
  merchant: { id: string; origins: string[] },
  normalise: (value: string) => string | null,
): Reason | null {
  if (origin === undefined) return null;
  const seen = normalise(origin);
  if (seen !== null && merchant.origins.includes(seen)) return null;
  const proven = merchant.origins.length > 0 ? `has proven only ${merchant.origins.join(', ')} as its own` : 'has proven no origin as its own';
  return {
    code: 'origin_mismatch',
    message: `the checkout was at ${seen ?? JSON.stringify(origin)}, but merchant ${merchant.id} ${proven}`,
  };
}

/**
 * Another merchant has proven the checkout's origin too (a shop that registered again under a new
 * key, a domain that changed hands): a payment there is not known to reach the site's merchant of
 * today, so the user is asked, whatever the mandate allows. A client that looked the site's merchant
 * up earlier (the extension keeps the answer a few minutes) would otherwise pay the old one unasked.
 */
export function originShared(origin: string | null, merchantOrigins: string[], others: number): Reason | null {
  // A merchant that has not proven the origin itself gets origin_mismatch instead.
  if (origin === null || others === 0 || !merchantOrigins.includes(origin)) return null;
  return {
    code: 'origin_shared',
    message: `${origin} has been proven by ${others === 1 ? 'another merchant' : `${others} other merchants`} as well; make sure this is the one you mean to pay`,
  };
}
