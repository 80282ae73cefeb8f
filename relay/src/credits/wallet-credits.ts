import type { AutoTopUp, TopUp, VendorPrice, WalletCredits } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';
import { toTopUp } from './top-ups.ts';
import { vendorPrices } from './vendors.ts';

/** Purchases shown per account: enough for the page, bounded for a wallet that tops up all day. */
const TOP_UPS_SHOWN = 50;

/**
 * The wallet's credits at each vendor: balance, the last 30 days' usage by day and model, every
 * purchase labelled with the agent that bought it (top-ups the relay made, and credits a vendor
 * sold for an agent's token), top-ups that wait or failed, and the auto top-up setting.
 */
export async function walletCredits(db: Queryable, walletId: string, now: Date): Promise<WalletCredits> {
  const accounts = await db.query<{ id: string; vendor_id: string; name: string; currency: string; balance_minor: string; reserved_minor: string }>(
    `SELECT a.id, a.vendor_id, m.name, a.currency, a.balance_minor, a.reserved_minor
     FROM credit_accounts a JOIN merchants m ON m.id = a.vendor_id WHERE a.wallet_id = $1 ORDER BY m.name, a.currency`,
    [walletId],
  );
  const usage = await db.query<{ account_id: string; day: string; model: string | null; requests: string; units: string; minor: string }>(
    `SELECT u.account_id, to_char(date_trunc('day', u.ended_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, u.model,
            COUNT(*)::int8 AS requests, COALESCE(SUM(u.units), 0)::int8 AS units, SUM(u.settled_minor)::int8 AS minor
     FROM credit_usage u JOIN credit_accounts a ON a.id = u.account_id
     WHERE a.wallet_id = $1 AND u.status = 'settled' AND u.ended_at >= $2
     GROUP BY u.account_id, 2, u.model ORDER BY 2, u.model NULLS LAST`,
    [walletId, new Date(now.getTime() - 30 * 24 * 3600_000)],
  );
  const topUps = await walletTopUps(db, walletId);
  const settings = await db.query<{ account_id: string; actor_id: string; name: string; threshold_minor: string; amount_minor: string }>(
    `SELECT a.id AS account_id, a.top_up_actor_id AS actor_id, ac.name, a.top_up_threshold_minor AS threshold_minor, a.top_up_amount_minor AS amount_minor
     FROM credit_accounts a JOIN actors ac ON ac.id = a.top_up_actor_id WHERE a.wallet_id = $1`,
    [walletId],
  );
  const prices = new Map<string, VendorPrice[]>();
  for (const vendorId of new Set(accounts.map((a) => a.vendor_id))) prices.set(vendorId, await vendorPrices(db, vendorId));
  return {
    credits: accounts.map((a) => {
      const setting = settings.find((s) => s.account_id === a.id);
      const autoTopUp: AutoTopUp | null = setting
        ? {
            accountId: a.id, agent: { id: setting.actor_id, name: setting.name },
            threshold: { minor: Number(setting.threshold_minor), currency: a.currency }, amount: { minor: Number(setting.amount_minor), currency: a.currency },
          }
        : null;
      return {
        accountId: a.id,
        vendor: { id: a.vendor_id, name: a.name },
        balance: { minor: Number(a.balance_minor), currency: a.currency },
        reserved: { minor: Number(a.reserved_minor), currency: a.currency },
        prices: prices.get(a.vendor_id) ?? [],
        usage: usage.filter((u) => u.account_id === a.id).map((u) => ({
          day: u.day, model: u.model, requests: Number(u.requests), units: Number(u.units), amount: { minor: Number(u.minor), currency: a.currency },
        })),
        topUps: topUps.filter((t) => t.accountId === a.id).slice(0, TOP_UPS_SHOWN),
        autoTopUp,
      };
    }),
  };
}

/** Every purchase of credits, newest first: the relay's top-ups, and purchases a vendor charged an agent's token for. */
async function walletTopUps(db: Queryable, walletId: string): Promise<TopUp[]> {
  const made = await db.query<Parameters<typeof toTopUp>[0]>(
    `SELECT t.*, ac.name AS actor_name, a.wallet_id, a.vendor_id, a.currency, m.name AS vendor_name
     FROM credit_top_ups t JOIN credit_accounts a ON a.id = t.account_id JOIN actors ac ON ac.id = t.actor_id JOIN merchants m ON m.id = a.vendor_id
     WHERE a.wallet_id = $1 ORDER BY t.created_at DESC LIMIT 500`,
    [walletId],
  );
  const sold = await db.query<{ charge_id: string; account_id: string; vendor_id: string; actor_id: string; name: string; intent_id: string; minor: string; currency: string; created_at: Date }>(
    `SELECT c.id AS charge_id, p.account_id, c.merchant_id AS vendor_id, i.actor_id, ac.name, c.intent_id, c.amount_minor AS minor, c.currency, c.created_at
     FROM credit_purchases p JOIN charges c ON c.id = p.charge_id JOIN intents i ON i.id = c.intent_id JOIN actors ac ON ac.id = i.actor_id
     WHERE c.wallet_id = $1 AND p.top_up_id IS NULL ORDER BY c.created_at DESC LIMIT 500`,
    [walletId],
  );
  const bySale: TopUp[] = sold.map((s) => ({
    id: s.charge_id, vendorId: s.vendor_id, accountId: s.account_id, agent: { id: s.actor_id, name: s.name },
    amount: { minor: Number(s.minor), currency: s.currency }, automatic: false, status: 'paid', intentId: s.intent_id, reason: null,
    createdAt: s.created_at.toISOString(),
  }));
  return [...made.map(toTopUp), ...bySale].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}
