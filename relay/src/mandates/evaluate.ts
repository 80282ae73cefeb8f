import type { Category, IntentRequest, MandateDocument, Reason, Rule } from '@agentpay/protocol';
import { formatMoney } from '@agentpay/protocol';
import { inTimeWindow } from './clock.ts';

/** The parts of an intent a mandate looks at. */
/** What a mandate judges: the request with its category settled (see createIntent). */
export type IntentFacts = Pick<IntentRequest, 'merchantId' | 'amount' | 'channel' | 'context'> & { category: Category };

/**
 * What the mandate says before any budget is touched. `quota` means: approve
 * if the budget can be debited atomically, otherwise confirm.
 */
export type MandateVerdict =
  | { outcome: 'decline'; reasons: Reason[] }
  | { outcome: 'confirm'; reasons: Reason[] }
  | { outcome: 'approve'; ruleId: string; reasons: Reason[] }
  | { outcome: 'quota'; reasons: Reason[] };

/** Pure: decides by the mandate alone. Risk and the budget are applied by the caller. */
export function evaluateMandate(mandate: MandateDocument | null, intent: IntentFacts, now: Date): MandateVerdict {
  if (!mandate) {
    return { outcome: 'confirm', reasons: [reason('no_mandate', 'no mandate is set for this agent, so the user confirms')] };
  }
  if (mandate.block.merchants.includes(intent.merchantId)) {
    return { outcome: 'decline', reasons: [reason('merchant_blocked', `the user blocked merchant ${intent.merchantId}`)] };
  }
  if (mandate.block.categories.includes(intent.category)) {
    return { outcome: 'decline', reasons: [reason('category_blocked', `the user blocked the category ${intent.category}`)] };
  }
  switch (mandate.kind) {
    case 'confirm_each':
      return { outcome: 'confirm', reasons: [reason('confirm_each', 'the mandate asks the user to confirm every payment')] };
    case 'rules': {
      const misses: string[] = [];
      for (const rule of mandate.rules) {
        const miss = ruleMiss(rule, intent, now);
        if (!miss) {
          return { outcome: 'approve', ruleId: rule.id, reasons: [reason('rule_matched', `rule "${rule.description ?? rule.id}" allows it`)] };
        }
        misses.push(`${rule.id}: ${miss}`);
      }
      return { outcome: 'confirm', reasons: [reason('no_rule_matched', `no rule allows it (${misses.join('; ')})`)] };
    }
    case 'quota': {
      if (intent.amount.currency !== mandate.budget.currency) {
        return { outcome: 'confirm', reasons: [reason('quota_currency', `the budget is in ${mandate.budget.currency}, not ${intent.amount.currency}`)] };
      }
      if (mandate.maxPerPaymentMinor !== undefined && intent.amount.minor > mandate.maxPerPaymentMinor) {
        const cap = formatMoney({ minor: mandate.maxPerPaymentMinor, currency: mandate.budget.currency });
        return { outcome: 'confirm', reasons: [reason('quota_per_payment', `above the ${cap} per-payment limit`)] };
      }
      if (mandate.categories && !mandate.categories.includes(intent.category)) {
        return { outcome: 'confirm', reasons: [reason('quota_category', `the budget does not cover ${intent.category}`)] };
      }
      return { outcome: 'quota', reasons: [reason('quota', `within the ${formatMoney(mandate.budget)} per ${mandate.period} budget`)] };
    }
  }
}

/** Why `rule` does not allow the intent, or null when it does. */
export function ruleMiss(rule: Rule, intent: IntentFacts, now: Date): string | null {
  if (intent.amount.currency !== rule.currency) return `currency is ${intent.amount.currency}, not ${rule.currency}`;
  if (intent.amount.minor > rule.maxPerPaymentMinor) {
    return `${formatMoney(intent.amount)} is above ${formatMoney({ minor: rule.maxPerPaymentMinor, currency: rule.currency })}`;
  }
  if (rule.merchants?.deny?.includes(intent.merchantId)) return 'merchant is denied';
  if (rule.merchants?.allow && !rule.merchants.allow.includes(intent.merchantId)) return 'merchant is not allowed';
  if (rule.categories?.deny?.includes(intent.category)) return `category ${intent.category} is denied`;
  if (rule.categories?.allow && !rule.categories.allow.includes(intent.category)) return `category ${intent.category} is not allowed`;
  if (rule.channels && !rule.channels.includes(intent.channel)) return `channel ${intent.channel} is not allowed`;
  if (rule.timeWindow && !inTimeWindow(now, rule.timeWindow)) return 'outside its time window';
  if (rule.whileDriving && intent.context.driving !== true) return 'only while driving';
  return null;
}

/** Merchants the user named in the mandate: never "new" to the risk checks. */
export function merchantsNamed(mandate: MandateDocument | null): string[] {
  if (!mandate) return [];
  if (mandate.kind === 'quota') return mandate.merchants ?? [];
  if (mandate.kind === 'rules') return mandate.rules.flatMap((r) => r.merchants?.allow ?? []);
  return [];
}

export function reason(code: string, message: string): Reason {
  return { code, message };
}
