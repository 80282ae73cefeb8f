import { formatMoney, type MandateDocument, type Money, type Reason, type Rule } from '@agentpay/protocol';
import { periodStart } from '../mandates/clock.ts';
import { ruleMiss } from '../mandates/evaluate.ts';
import { quotaSpent } from '../mandates/quota.ts';
import type { Queryable } from '../store/database.ts';
import type { IntentRow } from './model.ts';

/** The mandate behind a held payment as the confirmation window says it, and its budget left. */
export interface MandateWords {
  description: string;
  budgetLeft: Money | null;
}

const PERIOD_WORDS = { day: 'a day', week: 'a week', month: 'a month' } as const;

/** `physical_goods` → "physical goods": a category as a person says it. */
export function categoryWords(category: string): string {
  return category.replaceAll('_', ' ');
}

/**
 * Describes the agent's mandate in a sentence a person reads at a glance, with merchants by name
 * (never `mer_…`) and rules by their own description (never `rule-1`), and what a budget has left in
 * the period the payment falls in. A held payment never spends the budget, so "left" is what it was.
 */
export async function mandateWords(db: Queryable, row: IntentRow): Promise<MandateWords> {
  if (!row.mandate_id) return { description: 'No mandate is set for this agent, so it asks you before every payment.', budgetLeft: null };
  const [mandate] = await db.query<{ document: MandateDocument }>('SELECT document FROM mandates WHERE id = $1', [row.mandate_id]);
  if (!mandate) return { description: 'This agent\'s mandate could not be read, so you are asked.', budgetLeft: null };
  return describeMandate(db, row.actor_id, mandate.document, row.created_at);
}

/** A mandate in words, and what its budget has left in the period holding `at`. */
export async function describeMandate(db: Queryable, actorId: string, document: MandateDocument, at: Date): Promise<MandateWords> {
  const names = await merchantNames(db, document);
  const merchants = (ids: string[]) => ids.map((id) => names.get(id) ?? 'a merchant you named').join(', ');
  switch (document.kind) {
    case 'confirm_each':
      return { description: 'This agent\'s mandate asks you before every payment.', budgetLeft: null };
    case 'rules':
      return { description: sentence(`This agent may pay on its own where one of your rules allows: ${document.rules.map((rule) => ruleWords(rule, merchants)).join('; ')}`), budgetLeft: null };
    case 'quota': {
      const parts = [`A budget of ${formatMoney(document.budget)} ${PERIOD_WORDS[document.period]}`];
      if (document.maxPerPaymentMinor !== undefined) parts.push(`up to ${formatMoney({ minor: document.maxPerPaymentMinor, currency: document.budget.currency })} a payment`);
      if (document.categories) parts.push(`on ${document.categories.map(categoryWords).join(', ')}`);
      if (document.merchants?.length) parts.push(`at ${merchants(document.merchants)}`);
      const start = periodStart(at, document.period, document.timeZone);
      const spent = await quotaSpent(db, actorId, start, document.budget.currency);
      return { description: sentence(parts.join(', ')), budgetLeft: { minor: Math.max(document.budget.minor - spent, 0), currency: document.budget.currency } };
    }
  }
}

/** One rule in words: its own description when the user gave one, else what it allows. */
function ruleWords(rule: Rule, merchants: (ids: string[]) => string): string {
  if (rule.description?.trim()) return `"${rule.description.trim()}"`;
  const parts = [`up to ${formatMoney({ minor: rule.maxPerPaymentMinor, currency: rule.currency })} a payment`];
  if (rule.merchants?.allow) parts.push(`at ${merchants(rule.merchants.allow)}`);
  if (rule.categories?.allow) parts.push(`on ${rule.categories.allow.map(categoryWords).join(', ')}`);
  if (rule.channels) parts.push(`through ${rule.channels.join(' or ')}`);
  if (rule.timeWindow) parts.push(`between ${rule.timeWindow.start} and ${rule.timeWindow.end}`);
  if (rule.whileDriving) parts.push('while driving');
  return parts.join(' ');
}

/**
 * The reasons a payment was held, with "no rule allows it (rule-1: …)" said with each rule's
 * description instead of its id. Other reasons are already in words.
 */
export async function reasonsInWords(db: Queryable, row: IntentRow): Promise<Reason[]> {
  const reasons = row.decision.reasons;
  if (!row.mandate_id || !reasons.some((r) => r.code === 'no_rule_matched')) return reasons;
  const [mandate] = await db.query<{ document: MandateDocument }>('SELECT document FROM mandates WHERE id = $1', [row.mandate_id]);
  if (mandate?.document.kind !== 'rules') return reasons;
  const names = await merchantNames(db, mandate.document);
  const merchants = (ids: string[]) => ids.map((id) => names.get(id) ?? 'a merchant you named').join(', ');
  const facts = { merchantId: row.merchant_id, amount: { minor: row.amount_minor, currency: row.currency }, category: row.category, channel: row.channel, context: row.context };
  const misses = mandate.document.rules.map((rule) => `${ruleWords(rule, merchants)}: ${ruleMiss(rule, facts, row.created_at) ?? 'did not apply'}`);
  return reasons.map((r) => (r.code === 'no_rule_matched' ? { ...r, message: `none of your rules allows it (${misses.join('; ')})` } : r));
}

async function merchantNames(db: Queryable, document: MandateDocument): Promise<Map<string, string>> {
  const ids = document.kind === 'quota' ? (document.merchants ?? []) : document.kind === 'rules' ? document.rules.flatMap((r) => [...(r.merchants?.allow ?? []), ...(r.merchants?.deny ?? [])]) : [];
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM merchants WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Ends a sentence with one full stop, also after a name that ends with its own ("Demo Model Co."). */
function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}
