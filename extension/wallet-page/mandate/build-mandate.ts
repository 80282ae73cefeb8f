import { Category, Channel, Currency, MandateDocument, type Rule } from '@agentpay/protocol';
import { parseAmount } from '../amount.ts';
import type { Choice, MandateFields, RuleFields } from './fields.ts';

export interface FieldError {
  /** Which field it belongs beside: "quota.budget", "rules.1.maxPerPayment", or the schema's path. */
  key: string;
  /** One plain sentence. */
  message: string;
}

export type Built = { ok: true; mandate: MandateDocument } | { ok: false; errors: FieldError[] };

/** Ticked items in the protocol's own order, whatever order they were ticked in. */
const inOrderOf = <T extends string>(order: readonly T[], items: readonly T[]) => order.filter((item) => items.includes(item));

/** "enter an amount" → "Enter an amount." */
const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** Whether the browser knows `timeZone` as an IANA name. */
export function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns the form into a mandate document exactly as protocol/src/mandate.ts
 * defines it, and validates it with the protocol's own schema, so what is
 * signed is what the relay accepts. Each problem is keyed to the field it
 * is shown beside.
 */
export function buildMandate(fields: MandateFields, ids: { walletId: string; actorId: string; issuedAt: string }): Built {
  const errors: FieldError[] = [];
  const check = {
    amount(key: string, text: string, currency: string): number | undefined {
      if (!Currency.safeParse(currency).success) {
        // Said once, beside the currency, however many amounts are in it.
        const currencyKey = key.replace(/[^.]+$/, 'currency');
        if (!errors.some((e) => e.key === currencyKey)) errors.push({ key: currencyKey, message: `“${currency}” is not a currency code; use three letters such as CNY or USD.` });
        return undefined;
      }
      const parsed = parseAmount(text, currency);
      if (parsed.ok) return parsed.value;
      errors.push({ key, message: sentence(parsed.error) });
      return undefined;
    },
    timeZone(key: string, text: string): string {
      const timeZone = text.trim();
      if (!validTimeZone(timeZone)) errors.push({ key, message: `“${timeZone}” is not a time zone; pick one from the list, such as Asia/Shanghai.` });
      return timeZone;
    },
    problem(key: string, message: string) {
      errors.push({ key, message });
    },
    picked<T>(key: string, choice: Choice<T>, what: string): Choice<T>['picked'] | undefined {
      if (choice.mode === 'any') return undefined;
      if (choice.picked.length === 0) errors.push({ key, message: `Tick at least one ${what}, or choose “Any ${what}”.` });
      return choice.picked;
    },
  };
  const base = { v: 1 as const, walletId: ids.walletId, actorId: ids.actorId, issuedAt: ids.issuedAt, block: fields.block };

  let draft: unknown;
  if (fields.kind === 'confirm_each') draft = { ...base, kind: 'confirm_each' };
  if (fields.kind === 'rules') {
    if (fields.rules.length === 0) errors.push({ key: 'rules', message: 'Add at least one rule.' });
    draft = { ...base, kind: 'rules', rules: fields.rules.map((rule, i) => buildRule(rule, `rules.${i}.`, check)) };
  }
  if (fields.kind === 'quota') {
    const q = fields.quota;
    const currency = q.currency.trim().toUpperCase();
    // In the form's order, so the messages read top to bottom.
    const budget = { minor: check.amount('quota.budget', q.budget, currency), currency };
    const timeZone = check.timeZone('quota.timeZone', q.timeZone);
    const max = q.maxPerPayment.trim() ? check.amount('quota.maxPerPayment', q.maxPerPayment, currency) : undefined;
    draft = {
      ...base, kind: 'quota', budget, period: q.period, timeZone,
      ...(max !== undefined ? { maxPerPaymentMinor: max } : {}),
      ...(q.categories.length ? { categories: inOrderOf(Category.options, q.categories) } : {}),
      ...(q.merchants.length ? { merchants: q.merchants } : {}),
    };
  }
  if (errors.length) return { ok: false, errors };
  const parsed = MandateDocument.safeParse(draft);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ key: i.path.map(String).join('.') || 'mandate', message: sentence(i.message) })) };
  }
  return { ok: true, mandate: parsed.data };
}

type Checks = {
  amount(key: string, text: string, currency: string): number | undefined;
  timeZone(key: string, text: string): string;
  picked<T>(key: string, choice: Choice<T>, what: string): T[] | undefined;
  problem(key: string, message: string): void;
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An allow or deny list as the protocol writes it, merged with a deny list the form kept aside. */
function allowDeny<T>(mode: Choice<T>['mode'], picked: T[] | undefined, kept: { deny?: T[] } | undefined) {
  const list = { ...kept, ...(picked ? { [mode === 'only' ? 'allow' : 'deny']: picked } : {}) };
  return Object.keys(list).length ? list : undefined;
}

function buildRule(rule: RuleFields, prefix: string, check: Checks): Partial<Rule> {
  const currency = rule.currency.trim().toUpperCase();
  const max = check.amount(`${prefix}maxPerPayment`, rule.maxPerPayment, currency);
  const merchants = allowDeny(rule.merchants.mode, check.picked(`${prefix}merchants`, rule.merchants, 'merchant'), rule.kept.merchants);
  const pickedCategories = check.picked(`${prefix}categories`, rule.categories, 'category');
  const categories = allowDeny(rule.categories.mode, pickedCategories && inOrderOf(Category.options, pickedCategories), rule.kept.categories);
  const w = rule.timeWindow;
  if (w.on) {
    if (!HHMM.test(w.start)) check.problem(`${prefix}timeWindow.start`, 'Enter the time the rule starts to apply, such as 09:00.');
    if (!HHMM.test(w.end)) check.problem(`${prefix}timeWindow.end`, 'Enter the time the rule stops applying, such as 18:00.');
    else if (w.start === w.end) check.problem(`${prefix}timeWindow.end`, 'The rule would never apply: choose an end time other than its start (an earlier one spans midnight).');
  }
  const timeWindow = w.on
    ? { ...(w.days.length ? { days: [...w.days].sort() } : {}), start: w.start, end: w.end, timeZone: check.timeZone(`${prefix}timeWindow.timeZone`, w.timeZone) }
    : undefined;
  return {
    id: rule.id,
    ...(rule.description.trim() ? { description: rule.description.trim() } : {}),
    currency,
    maxPerPaymentMinor: max,
    ...(merchants ? { merchants } : {}),
    ...(categories ? { categories } : {}),
    ...(rule.channels.length ? { channels: inOrderOf(Channel.options, rule.channels) } : {}),
    ...(timeWindow ? { timeWindow } : {}),
    ...(rule.whileDriving ? { whileDriving: true } : {}),
  };
}
