import { Category, MandateDocument, type Rule } from '@agentpay/protocol';
import { parseAmount } from './amount.ts';
import { type MandateFields, type RuleFields, splitList } from './mandate-fields.ts';

export interface FieldError {
  /** Where: "Budget", "Rule 2 · Max per payment", or zod's path. */
  field: string;
  message: string;
}

export type Built = { ok: true; mandate: MandateDocument } | { ok: false; errors: FieldError[] };

/**
 * Turns the form into a mandate document exactly as protocol/src/mandate.ts
 * defines it, and validates it with the protocol's own schema, so what is
 * signed is what the relay accepts.
 */
export function buildMandate(fields: MandateFields, ids: { walletId: string; actorId: string; issuedAt: string }): Built {
  const errors: FieldError[] = [];
  const amount = (field: string, text: string, currency: string): number | undefined => {
    const parsed = parseAmount(text, currency.trim().toUpperCase());
    if (parsed.ok) return parsed.value;
    errors.push({ field, message: parsed.error });
    return undefined;
  };
  const categories = (field: string, text: string): Category[] => {
    const names = splitList(text.toLowerCase(), /[,;]+/).map((c) => c.replace(/\s+/g, '_'));
    const unknown = names.filter((c) => !Category.safeParse(c).success);
    if (unknown.length) errors.push({ field, message: `unknown ${unknown.join(', ')}; choose from ${Category.options.join(', ')}` });
    return names.filter((c): c is Category => Category.safeParse(c).success);
  };
  const base = { v: 1 as const, walletId: ids.walletId, actorId: ids.actorId, issuedAt: ids.issuedAt, ...(fields.block ? { block: fields.block } : {}) };

  let draft: unknown;
  if (fields.kind === 'confirm_each') draft = { ...base, kind: 'confirm_each' };
  if (fields.kind === 'rules') {
    const rules = fields.rules.map((rule, i) => buildRule(rule, `Rule ${i + 1} · `, amount, categories));
    if (rules.length === 0) errors.push({ field: 'Rules', message: 'add at least one rule' });
    draft = { ...base, kind: 'rules', rules };
  }
  if (fields.kind === 'quota') {
    const q = fields.quota;
    const currency = q.currency.trim().toUpperCase();
    // In the form's order, so the messages read top to bottom.
    const budget = { minor: amount('Budget', q.budget, currency), currency };
    const timeZone = q.timeZone.trim() || 'UTC';
    if (!validTimeZone(timeZone)) errors.push({ field: 'Time zone', message: `"${timeZone}" is not an IANA time zone such as Asia/Shanghai` });
    const max = q.maxPerPayment.trim() ? amount('Max per payment', q.maxPerPayment, currency) : undefined;
    const allowed = categories('Categories', q.categories);
    const merchants = splitList(q.merchants);
    draft = {
      ...base, kind: 'quota', budget, period: q.period, timeZone,
      ...(max !== undefined ? { maxPerPaymentMinor: max } : {}),
      ...(allowed.length ? { categories: allowed } : {}),
      ...(merchants.length ? { merchants } : {}),
    };
  }
  if (errors.length) return { ok: false, errors };
  const parsed = MandateDocument.safeParse(draft);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'mandate', message: i.message })) };
  }
  return { ok: true, mandate: parsed.data };
}

function buildRule(
  rule: RuleFields,
  prefix: string,
  amount: (field: string, text: string, currency: string) => number | undefined,
  categories: (field: string, text: string) => Category[],
): Partial<Rule> {
  const currency = rule.currency.trim().toUpperCase();
  const max = amount(`${prefix}Max per payment`, rule.maxPerPayment, currency);
  const allowCategories = categories(`${prefix}Categories`, rule.categories);
  const allowMerchants = splitList(rule.merchants);
  const { merchants: keptMerchants, categories: keptCategories, ...kept } = rule.kept;
  const merchants = { ...keptMerchants, ...(allowMerchants.length ? { allow: allowMerchants } : {}) };
  const cats = { ...keptCategories, ...(allowCategories.length ? { allow: allowCategories } : {}) };
  return {
    ...kept,
    id: rule.id,
    ...(rule.description.trim() ? { description: rule.description.trim() } : {}),
    currency,
    maxPerPaymentMinor: max,
    ...(Object.keys(merchants).length ? { merchants } : {}),
    ...(Object.keys(cats).length ? { categories: cats } : {}),
  };
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
