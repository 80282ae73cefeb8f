import { formatMoney } from '@agentpay/protocol';
import { modelLabel, type VendorCredits } from './labels.ts';

const DAY_MS = 86_400_000;
export const USAGE_DAYS = 30;

export interface ModelSeries {
  model: string | null;
  label: string;
  /** Minor units settled on each day of `days`. */
  minor: number[];
  requests: number;
  units: number;
  totalMinor: number;
}

/** Usage laid out for the chart: every day of the last 30 on the axis (days without usage too), one series per model. */
export interface UsageGrid {
  days: string[];
  models: ModelSeries[];
  currency: string;
}

const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The last 30 UTC days up to `today` (or up to the latest day with usage, should the relay's clock
 * be ahead of the browser's), and each model's settled amount on each; models with the most spent first.
 */
export function usageGrid(credits: Pick<VendorCredits, 'usage' | 'balance'>, today: Date): UsageGrid {
  const latest = credits.usage.reduce((max, u) => (u.day > max ? u.day : max), dayKey(today.getTime()));
  const end = Date.parse(`${latest}T00:00:00Z`);
  const range = Array.from({ length: USAGE_DAYS }, (_, i) => dayKey(end - (USAGE_DAYS - 1 - i) * DAY_MS));
  const days = [...new Set([...range, ...credits.usage.map((u) => u.day)])].sort();
  const index = new Map(days.map((day, i) => [day, i]));
  const byModel = new Map<string | null, ModelSeries>();
  for (const u of credits.usage) {
    const series = byModel.get(u.model) ?? { model: u.model, label: modelLabel(u.model), minor: days.map(() => 0), requests: 0, units: 0, totalMinor: 0 };
    series.minor[index.get(u.day)!]! += u.amount.minor;
    series.requests += u.requests;
    series.units += u.units;
    series.totalMinor += u.amount.minor;
    byModel.set(u.model, series);
  }
  const models = [...byModel.values()].sort((a, b) => b.totalMinor - a.totalMinor || a.label.localeCompare(b.label));
  return { days, models, currency: credits.usage[0]?.amount.currency ?? credits.balance.currency };
}

/** Days that had any usage, for the table behind the chart. */
export const daysWithUsage = (grid: UsageGrid) => grid.days.filter((_, i) => grid.models.some((m) => m.minor[i]! > 0));

/** What a screen reader hears for the chart: each model's total over the 30 days. */
export function usageSummary(vendorName: string, grid: UsageGrid, unitOf: (model: string | null) => string): string {
  const title = `Usage at ${vendorName} by day and model, last ${USAGE_DAYS} days, in ${grid.currency}`;
  if (grid.models.length === 0) return `${title}: none yet`;
  const parts = grid.models.map((m) =>
    `${m.label} ${formatMoney({ minor: m.totalMinor, currency: grid.currency })} (${m.requests} ${m.requests === 1 ? 'request' : 'requests'}, ${m.units.toLocaleString('en')} ${unitOf(m.model)})`);
  return `${title}: ${parts.join(', ')}`;
}
