import type { Category, Channel, MandateDocument, QuotaPeriod, Rule } from '@agentpay/protocol';
import { minorToText } from '../amount.ts';

export type MandateKind = MandateDocument['kind'];

/** How a rule treats a list: no limit, only what is picked, or anything but what is picked. */
export type ListMode = 'any' | 'only' | 'except';

/** A picked list and what it means (the protocol's allow or deny). */
export interface Choice<T> {
  mode: ListMode;
  picked: T[];
}

export interface TimeWindowFields {
  /** Whether the rule holds only at certain times. */
  on: boolean;
  /** 0 = Sunday; none picked means every day. */
  days: number[];
  start: string;
  end: string;
  timeZone: string;
}

/** One conditional rule as the form holds it. */
export interface RuleFields {
  id: string;
  description: string;
  maxPerPayment: string;
  currency: string;
  merchants: Choice<string>;
  categories: Choice<Category>;
  /** None picked: any way a payment is started. */
  channels: Channel[];
  timeWindow: TimeWindowFields;
  whileDriving: boolean;
  /** A deny list the form cannot show beside an allow list of the same kind, kept as it was. */
  kept: Pick<Rule, 'merchants' | 'categories'>;
}

export interface QuotaFields {
  budget: string;
  currency: string;
  period: QuotaPeriod;
  timeZone: string;
  maxPerPayment: string;
  /** None picked: the budget covers any category. */
  categories: Category[];
  /** Shops the user trusts from the first purchase (the relay does not treat them as new). */
  merchants: string[];
}

export interface MandateFields {
  kind: MandateKind;
  rules: RuleFields[];
  quota: QuotaFields;
  /** Always declined, whatever the kind. */
  block: { merchants: string[]; categories: Category[] };
}

export interface FormDefaults {
  currency: string;
  /** The browser's own time zone. */
  timeZone: string;
}

export function emptyRule(index: number, defaults: FormDefaults): RuleFields {
  return {
    id: `rule-${index + 1}`, description: '', maxPerPayment: '', currency: defaults.currency,
    merchants: { mode: 'any', picked: [] }, categories: { mode: 'any', picked: [] }, channels: [],
    timeWindow: { on: false, days: [], start: '09:00', end: '18:00', timeZone: defaults.timeZone },
    whileDriving: false, kept: {},
  };
}

/** An allow/deny pair as one choice; a deny list beside an allow list is kept aside, unchanged. */
function choiceOf<T>(list: { allow?: T[]; deny?: T[] } | undefined): { choice: Choice<T>; keptDeny?: T[] } {
  if (list?.allow) return { choice: { mode: 'only', picked: list.allow }, ...(list.deny ? { keptDeny: list.deny } : {}) };
  if (list?.deny) return { choice: { mode: 'except', picked: list.deny } };
  return { choice: { mode: 'any', picked: [] } };
}

function ruleFields(rule: Rule, defaults: FormDefaults): RuleFields {
  const merchants = choiceOf(rule.merchants);
  const categories = choiceOf(rule.categories);
  const kept: RuleFields['kept'] = {};
  if (merchants.keptDeny) kept.merchants = { deny: merchants.keptDeny };
  if (categories.keptDeny) kept.categories = { deny: categories.keptDeny };
  return {
    id: rule.id, description: rule.description ?? '', currency: rule.currency,
    maxPerPayment: minorToText(rule.maxPerPaymentMinor, rule.currency),
    merchants: merchants.choice, categories: categories.choice, channels: rule.channels ?? [],
    timeWindow: rule.timeWindow
      ? { on: true, days: rule.timeWindow.days ?? [], start: rule.timeWindow.start, end: rule.timeWindow.end, timeZone: rule.timeWindow.timeZone }
      : emptyRule(0, defaults).timeWindow,
    whileDriving: rule.whileDriving ?? false, kept,
  };
}

/** The form's starting values: the current mandate's, or defaults in the user's currency and the browser's time zone. */
export function fieldsFromMandate(doc: MandateDocument | null, defaults: FormDefaults): MandateFields {
  const quota: QuotaFields = {
    budget: '', currency: defaults.currency, period: 'month', timeZone: defaults.timeZone, maxPerPayment: '', categories: [], merchants: [],
  };
  const fields: MandateFields = {
    kind: doc?.kind ?? 'confirm_each', rules: [emptyRule(0, defaults)], quota,
    block: { merchants: doc?.block.merchants ?? [], categories: doc?.block.categories ?? [] },
  };
  if (doc?.kind === 'rules') fields.rules = doc.rules.map((rule) => ruleFields(rule, defaults));
  if (doc?.kind === 'quota') {
    const c = doc.budget.currency;
    fields.quota = {
      budget: minorToText(doc.budget.minor, c), currency: c, period: doc.period, timeZone: doc.timeZone,
      maxPerPayment: doc.maxPerPaymentMinor === undefined ? '' : minorToText(doc.maxPerPaymentMinor, c),
      categories: doc.categories ?? [], merchants: doc.merchants ?? [],
    };
  }
  return fields;
}

/** The browser's own time zone, which new mandates start in. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A time strictly after `previous`, so the relay takes the new mandate as newer even if clocks disagree a little. */
export function issuedAfter(now: Date, previous: string | undefined): string {
  const last = previous ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(last) || now.getTime() > last ? now.getTime() : last + 1).toISOString();
}
