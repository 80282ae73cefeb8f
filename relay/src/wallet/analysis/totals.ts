import type { Category, CategoryChange, SpendingShare } from '@agentpay/protocol';

/** One charge as the analysis counts it: net of its refunds, when it was charged, where and through whom. */
export interface NetCharge {
  at: Date;
  minor: number;
  currency: string;
  category: Category;
  merchantId: string;
  merchantName: string;
  actorId: string;
  actorName: string;
}

/** How many merchants or agents a ranking lists. */
export const TOP = 5;

/**
 * Each category this month against last, per currency (amounts in different currencies are never
 * added). A category spent in either month is listed; biggest this month first. The change is a
 * whole percent, null when last month had nothing to compare with.
 */
export function compareCategories(thisMonth: NetCharge[], lastMonth: NetCharge[]): CategoryChange[] {
  const rows = new Map<string, CategoryChange>();
  const add = (charge: NetCharge, field: 'thisMonthMinor' | 'lastMonthMinor') => {
    const key = `${charge.currency} ${charge.category}`;
    const row = rows.get(key) ?? { category: charge.category, currency: charge.currency, thisMonthMinor: 0, lastMonthMinor: 0, changePercent: null };
    row[field] += charge.minor;
    rows.set(key, row);
  };
  for (const charge of thisMonth) add(charge, 'thisMonthMinor');
  for (const charge of lastMonth) add(charge, 'lastMonthMinor');
  return [...rows.values()]
    .filter((r) => r.thisMonthMinor > 0 || r.lastMonthMinor > 0)
    .map((r) => ({ ...r, changePercent: r.lastMonthMinor > 0 ? Math.round(((r.thisMonthMinor - r.lastMonthMinor) / r.lastMonthMinor) * 100) : null }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || b.thisMonthMinor - a.thisMonthMinor || b.lastMonthMinor - a.lastMonthMinor || a.category.localeCompare(b.category));
}

/** Sums net charges by who (merchant or agent) and currency; a wholly refunded charge is no payment. */
export function sumShares(charges: NetCharge[], by: 'merchant' | 'actor'): SpendingShare[] {
  const shares = new Map<string, SpendingShare>();
  for (const c of charges) {
    const id = by === 'merchant' ? c.merchantId : c.actorId;
    const key = `${c.currency} ${id}`;
    const share = shares.get(key) ?? { id, name: by === 'merchant' ? c.merchantName : c.actorName, currency: c.currency, minor: 0, payments: 0 };
    share.minor += c.minor;
    if (c.minor > 0) share.payments += 1;
    shares.set(key, share);
  }
  return [...shares.values()];
}

/** The biggest shares, per currency, at most TOP of each; nothing spent, not listed. */
export function rankShares(shares: SpendingShare[]): SpendingShare[] {
  const sorted = shares.filter((s) => s.minor > 0).sort((a, b) => a.currency.localeCompare(b.currency) || b.minor - a.minor || a.name.localeCompare(b.name));
  const kept = new Map<string, number>();
  return sorted.filter((s) => {
    const n = kept.get(s.currency) ?? 0;
    kept.set(s.currency, n + 1);
    return n < TOP;
  });
}
