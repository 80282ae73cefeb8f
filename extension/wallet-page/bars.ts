import { categoryLabel } from '@agentpay/protocol';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "2026-11" → "Nov 2026"; "physical_goods" → "physical goods". Kept for the mandate read-backs
 * (summaries.ts); the Spending section's charts are in spending/ and draw with Chart.js.
 */
export function keyLabel(key: string, by: 'category' | 'month'): string {
  if (by === 'category') return categoryLabel(key);
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${month} ${match[1]}` : key;
}
