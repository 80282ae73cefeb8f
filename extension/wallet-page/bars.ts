import { formatMoney } from '@agentpay/protocol';

/** A row of `GET /v1/wallet/spending`; PostgreSQL's int8 may arrive as a string. */
export interface SpendingRow {
  key: string;
  currency: string;
  minor: number | string;
  count: number | string;
}

export interface Series {
  currency: string;
  items: { key: string; minor: number; count: number }[];
}

/** Splits rows per currency (amounts in different currencies never share an axis), in the given order. */
export function seriesByCurrency(rows: SpendingRow[], order: 'amount' | 'key'): Series[] {
  const map = new Map<string, Series['items']>();
  for (const row of rows) {
    const items = map.get(row.currency) ?? [];
    items.push({ key: row.key, minor: Math.max(0, Number(row.minor)), count: Number(row.count) });
    map.set(row.currency, items);
  }
  const compare = order === 'amount'
    ? (a: Series['items'][number], b: Series['items'][number]) => b.minor - a.minor || a.key.localeCompare(b.key)
    : (a: Series['items'][number], b: Series['items'][number]) => a.key.localeCompare(b.key);
  return [...map].sort(([a], [b]) => a.localeCompare(b)).map(([currency, items]) => ({ currency, items: items.sort(compare) }));
}

export interface Bar {
  key: string;
  minor: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  width: number;
  labelWidth: number;
  valueWidth: number;
  rowHeight: number;
  gap: number;
}

/** Horizontal bars: one row per item, lengths proportional to the largest, a visible sliver for tiny non-zero amounts. */
export function barGeometry(items: { key: string; minor: number }[], layout: Layout): { bars: Bar[]; height: number } {
  const track = Math.max(0, layout.width - layout.labelWidth - layout.valueWidth);
  const max = Math.max(0, ...items.map((i) => i.minor));
  const bars = items.map((item, index) => {
    const share = max === 0 ? 0 : item.minor / max;
    const width = item.minor > 0 ? Math.max(2, Math.round(share * track)) : 0;
    return { key: item.key, minor: item.minor, x: layout.labelWidth, y: index * (layout.rowHeight + layout.gap), width, height: layout.rowHeight };
  });
  const height = items.length === 0 ? 0 : items.length * layout.rowHeight + (items.length - 1) * layout.gap;
  return { bars, height };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11" → "Nov 2026"; "physical_goods" → "physical goods". */
export function keyLabel(key: string, by: 'category' | 'month'): string {
  if (by === 'category') return key.replaceAll('_', ' ');
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${month} ${match[1]}` : key;
}

/** What a screen reader announces for the chart. */
export function chartSummary(series: Series, by: 'category' | 'month'): string {
  const parts = series.items.map((i) => `${keyLabel(i.key, by)} ${formatMoney({ minor: i.minor, currency: series.currency })}`);
  return `Spending by ${by} in ${series.currency}: ${parts.length ? parts.join(', ') : 'nothing yet'}`;
}
