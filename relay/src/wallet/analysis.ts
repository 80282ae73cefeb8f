import type { BudgetStanding, Category, SpendingAnalysis, SpendingShare } from '@agentpay/protocol';
import { periodStart } from '../mandates/clock.ts';
import type { Database, Queryable } from '../store/database.ts';
import { listActors } from './actors.ts';
import { monthSpans, renewsAt } from './analysis/months.ts';
import { findRecurring } from './analysis/recurring.ts';
import { type AskedOften, APPROVALS_WINDOW_DAYS, suggestions } from './analysis/suggestions.ts';
import { compareCategories, type NetCharge, rankShares, sumShares } from './analysis/totals.ts';

/** How far back the wallet looks for habits: a monthly one needs three months; a year shows it plainly. */
const HABIT_LOOKBACK_DAYS = 400;
const DAY_MS = 86_400_000;

/**
 * The wallet's spending analysis in the user's time zone: this month against last by category,
 * the top merchants and agents, recurring purchases, each budget's standing and plain suggestions.
 * Amounts are charges net of their refunds, on the day charged (a refund lowers the month of the
 * purchase it undoes, so a returned item never shows as spending).
 */
export async function spendingAnalysis(store: Database, walletId: string, timeZone: string, now: Date): Promise<SpendingAnalysis> {
  // One snapshot for every read below: a refund landing midway cannot make this month's ranking and all time's disagree.
  return store.transaction(async (db) => {
    await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return analyse(db, walletId, timeZone, now);
  });
}

async function analyse(db: Queryable, walletId: string, timeZone: string, now: Date): Promise<SpendingAnalysis> {
  const { thisMonth, lastMonth } = monthSpans(now, timeZone);
  const since = new Date(Math.min(Date.parse(lastMonth.start), now.getTime() - HABIT_LOOKBACK_DAYS * DAY_MS));
  const charges = await netCharges(db, walletId, since);
  const within = (from: string, to: string) => charges.filter((c) => c.at >= new Date(from) && c.at < new Date(to));
  const chargedThisMonth = within(thisMonth.start, thisMonth.end);
  const budgets = await budgetStandings(db, walletId, now);
  const recurring = findRecurring(charges, now, timeZone);
  const asked = await askedOften(db, walletId, new Date(now.getTime() - APPROVALS_WINDOW_DAYS * DAY_MS));
  return {
    timeZone,
    generatedAt: now.toISOString(),
    thisMonth,
    lastMonth,
    byCategory: compareCategories(chargedThisMonth, within(lastMonth.start, lastMonth.end)),
    topMerchants: { thisMonth: rankShares(sumShares(chargedThisMonth, 'merchant')), allTime: rankShares(await allTime(db, walletId, 'merchant')) },
    topAgents: { thisMonth: rankShares(sumShares(chargedThisMonth, 'actor')), allTime: rankShares(await allTime(db, walletId, 'actor')) },
    recurring,
    budgets,
    suggestions: suggestions({ budgets, asked, recurring, timeZone }),
  };
}

async function netCharges(db: Queryable, walletId: string, since: Date): Promise<NetCharge[]> {
  const rows = await db.query<{ at: Date; minor: number; currency: string; category: Category; merchant_id: string; merchant_name: string; actor_id: string; actor_name: string }>(
    `SELECT c.created_at AS at, (c.amount_minor - c.refunded_minor)::int8 AS minor, c.currency, i.category,
            m.id AS merchant_id, m.name AS merchant_name, a.id AS actor_id, a.name AS actor_name
     FROM charges c JOIN intents i ON i.id = c.intent_id JOIN merchants m ON m.id = c.merchant_id JOIN actors a ON a.id = i.actor_id
     WHERE c.wallet_id = $1 AND c.created_at >= $2 ORDER BY c.created_at`,
    [walletId, since],
  );
  return rows.map((r) => ({
    at: new Date(r.at), minor: r.minor, currency: r.currency, category: r.category,
    merchantId: r.merchant_id, merchantName: r.merchant_name, actorId: r.actor_id, actorName: r.actor_name,
  }));
}

/** Every charge ever, summed in the store by merchant or agent: the wallet's whole history stays one small answer. */
async function allTime(db: Queryable, walletId: string, by: 'merchant' | 'actor'): Promise<SpendingShare[]> {
  const who = by === 'merchant' ? 'm' : 'a';
  return db.query<SpendingShare>(
    `SELECT ${who}.id, ${who}.name, c.currency, SUM(c.amount_minor - c.refunded_minor)::int8 AS minor,
            COUNT(*) FILTER (WHERE c.amount_minor > c.refunded_minor)::int8 AS payments
     FROM charges c JOIN intents i ON i.id = c.intent_id JOIN merchants m ON m.id = c.merchant_id JOIN actors a ON a.id = i.actor_id
     WHERE c.wallet_id = $1 GROUP BY ${who}.id, ${who}.name, c.currency`,
    [walletId],
  );
}

/** Payments each agent held for the user's answer at each merchant since `since`, and how many the user approved. */
async function askedOften(db: Queryable, walletId: string, since: Date): Promise<AskedOften[]> {
  const rows = await db.query<{ actor_id: string; actor_name: string; merchant_id: string; merchant_name: string; asked: number; approved: number }>(
    `SELECT a.id AS actor_id, a.name AS actor_name, m.id AS merchant_id, m.name AS merchant_name, COUNT(*)::int8 AS asked,
            COUNT(*) FILTER (WHERE i.status = 'approved' AND i.approval_jws IS NOT NULL)::int8 AS approved
     FROM intents i JOIN actors a ON a.id = i.actor_id JOIN merchants m ON m.id = i.merchant_id
     WHERE i.wallet_id = $1 AND i.created_at >= $2 AND i.decision->>'outcome' = 'confirm' AND a.status <> 'revoked'
     GROUP BY a.id, a.name, m.id, m.name ORDER BY approved DESC, a.name, m.name`,
    [walletId, since],
  );
  return rows.map((r) => ({ actorId: r.actor_id, actorName: r.actor_name, merchantId: r.merchant_id, merchantName: r.merchant_name, asked: r.asked, approved: r.approved }));
}

/**
 * Each live quota mandate's current period, read exactly as decisions read it (the mandate's own
 * period and time zone, the relay's quota usage: approved and not yet charged counts as spent).
 */
async function budgetStandings(db: Queryable, walletId: string, now: Date): Promise<BudgetStanding[]> {
  const out: BudgetStanding[] = [];
  for (const actor of await listActors(db, walletId, now)) {
    const document = actor.mandate?.document;
    if (actor.status === 'revoked' || document?.kind !== 'quota' || !actor.mandate?.spent) continue;
    const start = periodStart(now, document.period, document.timeZone);
    const spent = actor.mandate.spent;
    const budget = document.budget;
    out.push({
      actorId: actor.id, actorName: actor.name, period: document.period, timeZone: document.timeZone, budget, spent,
      left: { minor: Math.max(0, budget.minor - spent.minor), currency: budget.currency },
      usedPercent: budget.minor === 0 ? 100 : Math.floor((spent.minor / budget.minor) * 100),
      periodStart: start.toISOString(),
      renewsAt: renewsAt(start, document.period, document.timeZone).toISOString(),
    });
  }
  return out;
}
