import { Money } from '@agentpay/protocol';
import * as z from 'zod';
import type { Queryable } from '../store/database.ts';

export const WalletCredits = z.object({
  credits: z.array(z.object({
    accountId: z.string(),
    vendor: z.object({ id: z.string(), name: z.string() }),
    balance: Money,
    reserved: Money,
    /** Settled usage of the last 30 days, by day (UTC) and model. */
    usage: z.array(z.object({ day: z.string(), model: z.string().nullable(), requests: z.number().int(), units: z.number().int(), amount: Money })),
  })),
});
export type WalletCredits = z.infer<typeof WalletCredits>;

/** The wallet's credits at each vendor, with what they were spent on lately: the AI Wallet's Token Pay view. */
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
  return {
    credits: accounts.map((a) => ({
      accountId: a.id,
      vendor: { id: a.vendor_id, name: a.name },
      balance: { minor: Number(a.balance_minor), currency: a.currency },
      reserved: { minor: Number(a.reserved_minor), currency: a.currency },
      usage: usage.filter((u) => u.account_id === a.id).map((u) => ({
        day: u.day, model: u.model, requests: Number(u.requests), units: Number(u.units), amount: { minor: Number(u.minor), currency: a.currency },
      })),
    })),
  };
}
