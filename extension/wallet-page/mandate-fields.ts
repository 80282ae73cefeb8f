import type { MandateDocument, QuotaPeriod, Rule } from '@agentpay/protocol';
import { minorToText } from './amount.ts';

export type MandateKind = MandateDocument['kind'];

/** One conditional rule as the form holds it: text the user types, plus what the form does not edit. */
export interface RuleFields {
  id: string;
  description: string;
  maxPerPayment: string;
  currency: string;
  categories: string;
  merchants: string;
  /** The rest of an existing rule (deny lists, time window, channels, while driving), kept as it was. */
  kept: Partial<Rule>;
}

export interface QuotaFields {
  budget: string;
  currency: string;
  period: QuotaPeriod;
  timeZone: string;
  maxPerPayment: string;
  categories: string;
  merchants: string;
}

export interface MandateFields {
  kind: MandateKind;
  rules: RuleFields[];
  quota: QuotaFields;
  /** The existing mandate's always-declined lists, kept as they were. */
  block: MandateDocument['block'] | undefined;
}

export const list = (values: readonly string[] | undefined) => (values ?? []).join(', ');

export function emptyRule(index: number, currency: string): RuleFields {
  return { id: `rule-${index + 1}`, description: '', maxPerPayment: '', currency, categories: '', merchants: '', kept: {} };
}

/** The form's starting values: the current mandate's, or defaults in the user's currency and time zone. */
export function fieldsFromMandate(doc: MandateDocument | null, defaults: { currency: string; timeZone: string }): MandateFields {
  const quota: QuotaFields = {
    budget: '', currency: defaults.currency, period: 'month', timeZone: defaults.timeZone, maxPerPayment: '', categories: '', merchants: '',
  };
  const fields: MandateFields = { kind: doc?.kind ?? 'confirm_each', rules: [emptyRule(0, defaults.currency)], quota, block: doc?.block };
  if (doc?.kind === 'rules') {
    fields.rules = doc.rules.map((rule) => {
      const { id, description, currency, maxPerPaymentMinor, merchants, categories, ...rest } = rule;
      const kept: Partial<Rule> = { ...rest };
      if (merchants?.deny) kept.merchants = { deny: merchants.deny };
      if (categories?.deny) kept.categories = { deny: categories.deny };
      return {
        id, description: description ?? '', currency, maxPerPayment: minorToText(maxPerPaymentMinor, currency),
        categories: list(categories?.allow), merchants: list(merchants?.allow), kept,
      };
    });
  }
  if (doc?.kind === 'quota') {
    const c = doc.budget.currency;
    fields.quota = {
      budget: minorToText(doc.budget.minor, c), currency: c, period: doc.period, timeZone: doc.timeZone,
      maxPerPayment: doc.maxPerPaymentMinor === undefined ? '' : minorToText(doc.maxPerPaymentMinor, c),
      categories: list(doc.categories), merchants: list(doc.merchants),
    };
  }
  return fields;
}

/** "mer_a, mer_b" or "mer_a mer_b" → ["mer_a", "mer_b"]; pass /[,;]+/ for items that may hold spaces. */
export function splitList(text: string, separator = /[\s,;]+/): string[] {
  return [...new Set(text.split(separator).map((s) => s.trim()).filter(Boolean))];
}

/** A time strictly after `previous`, so the relay takes the new mandate as newer even if clocks disagree a little. */
export function issuedAfter(now: Date, previous: string | undefined): string {
  const last = previous ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(last) || now.getTime() > last ? now.getTime() : last + 1).toISOString();
}
