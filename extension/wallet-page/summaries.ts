import { formatMoney, type Mandate, type MandateDocument, type Rule } from '@agentpay/protocol';
import { keyLabel } from './bars.ts';

const cats = (list: readonly string[]) => list.map((c) => keyLabel(c, 'category')).join(', ');

function ruleText(rule: Rule): string {
  const parts = [`up to ${formatMoney({ minor: rule.maxPerPaymentMinor, currency: rule.currency })} per payment`];
  if (rule.categories?.allow) parts.push(`for ${cats(rule.categories.allow)}`);
  if (rule.merchants?.allow) parts.push(`at ${rule.merchants.allow.join(', ')}`);
  if (rule.timeWindow) parts.push(`${rule.timeWindow.start}–${rule.timeWindow.end}`);
  if (rule.whileDriving) parts.push('only while driving');
  return `${rule.description ? `${rule.description}: ` : ''}${parts.join(' ')}`;
}

function blockText(doc: MandateDocument): string {
  const blocked = [...doc.block.merchants, ...doc.block.categories.map((c) => keyLabel(c, 'category'))];
  return blocked.length ? ` Always declined: ${blocked.join(', ')}.` : '';
}

/** What the agent may do, in a sentence the user can check at a glance. */
export function summarizeMandate(mandate: Pick<Mandate, 'document' | 'spent'> | null): string {
  if (!mandate) return 'No mandate: you confirm every payment.';
  const doc = mandate.document;
  if (doc.kind === 'confirm_each') return `You confirm every payment.${blockText(doc)}`;
  if (doc.kind === 'rules') {
    const n = doc.rules.length;
    return `${n} rule${n === 1 ? '' : 's'}: ${doc.rules.map(ruleText).join('; ')}. Anything else waits for you.${blockText(doc)}`;
  }
  const parts = [`Budget ${formatMoney(doc.budget)} per ${doc.period} (${doc.timeZone})`];
  if (mandate.spent) parts.push(`${formatMoney(mandate.spent)} spent this ${doc.period}`);
  if (doc.maxPerPaymentMinor !== undefined) parts.push(`up to ${formatMoney({ minor: doc.maxPerPaymentMinor, currency: doc.budget.currency })} per payment`);
  if (doc.categories) parts.push(`only ${cats(doc.categories)}`);
  if (doc.merchants) parts.push(`merchants ${doc.merchants.join(', ')}`);
  return `${parts.join(', ')}. Beyond it, payments wait for you.${blockText(doc)}`;
}
