import { MandateDocument } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { evaluateMandate, type IntentFacts } from './evaluate.ts';

const base = { v: 1, walletId: 'wal_1', actorId: 'agt_1', issuedAt: '2026-11-01T00:00:00Z' };
const mandate = (doc: Record<string, unknown>) => MandateDocument.parse({ ...base, ...doc });
const intent = (patch: Partial<IntentFacts> = {}): IntentFacts => ({
  merchantId: 'mer_shop', amount: { minor: 150_00, currency: 'CNY' }, category: 'physical_goods', channel: 'browser', context: {}, ...patch,
});
// A Tuesday, 10:00 in Shanghai.
const NOW = new Date('2026-11-17T02:00:00Z');

const shopRule = mandate({
  kind: 'rules',
  rules: [
    { id: 'shop', description: 'physical goods on this shop under 200', currency: 'CNY', maxPerPaymentMinor: 200_00, merchants: { allow: ['mer_shop'] }, categories: { allow: ['physical_goods'] } },
    { id: 'parking', currency: 'CNY', maxPerPaymentMinor: 50_00, categories: { allow: ['parking', 'tolls'] }, whileDriving: true, channels: ['device-scan', 'device-voice'] },
    { id: 'office-hours', currency: 'CNY', maxPerPaymentMinor: 30_00, categories: { allow: ['food'] }, timeWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timeZone: 'Asia/Shanghai' } },
  ],
});

describe('evaluateMandate', () => {
  it.each<[string, MandateDocument | null, IntentFacts, string, string | null]>([
    ['no mandate asks the user', null, intent(), 'confirm', 'no_mandate'],
    ['confirm each asks the user', mandate({ kind: 'confirm_each' }), intent(), 'confirm', 'confirm_each'],
    ['a matching rule approves', shopRule, intent(), 'approve', 'rule_matched'],
    ['above the rule falls back to confirmation', shopRule, intent({ amount: { minor: 200_01, currency: 'CNY' } }), 'confirm', 'no_rule_matched'],
    ['another merchant falls back to confirmation', shopRule, intent({ merchantId: 'mer_other' }), 'confirm', 'no_rule_matched'],
    ['another currency falls back to confirmation', shopRule, intent({ amount: { minor: 100, currency: 'USD' } }), 'confirm', 'no_rule_matched'],
    ['parking while driving approves', shopRule, intent({ merchantId: 'mer_gate', category: 'parking', amount: { minor: 15_00, currency: 'CNY' }, channel: 'device-scan', context: { driving: true } }), 'approve', 'rule_matched'],
    ['parking while parked asks', shopRule, intent({ merchantId: 'mer_gate', category: 'parking', amount: { minor: 15_00, currency: 'CNY' }, channel: 'device-scan', context: { driving: false } }), 'confirm', 'no_rule_matched'],
    ['parking from the browser asks', shopRule, intent({ merchantId: 'mer_gate', category: 'parking', amount: { minor: 15_00, currency: 'CNY' }, context: { driving: true } }), 'confirm', 'no_rule_matched'],
    ['food inside office hours approves', shopRule, intent({ merchantId: 'mer_cafe', category: 'food', amount: { minor: 25_00, currency: 'CNY' } }), 'approve', 'rule_matched'],
    ['a blocked merchant is declined', mandate({ kind: 'confirm_each', block: { merchants: ['mer_shop'] } }), intent(), 'decline', 'merchant_blocked'],
    ['a blocked category is declined', mandate({ kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', block: { categories: ['physical_goods'] } }), intent(), 'decline', 'category_blocked'],
    ['within a quota tries the budget', mandate({ kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month' }), intent(), 'quota', 'quota'],
    ['above the per-payment cap asks', mandate({ kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', maxPerPaymentMinor: 100_00 }), intent(), 'confirm', 'quota_per_payment'],
    ['a category outside the quota asks', mandate({ kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', categories: ['food'] }), intent(), 'confirm', 'quota_category'],
    ['a quota in another currency asks', mandate({ kind: 'quota', budget: { minor: 1000_00, currency: 'USD' }, period: 'month' }), intent(), 'confirm', 'quota_currency'],
  ])('%s', (_name, doc, facts, outcome, code) => {
    const verdict = evaluateMandate(doc, facts, NOW);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.reasons[0]?.code ?? null).toBe(code);
  });

  it('never approves outside the time window', () => {
    const saturday = new Date('2026-11-21T02:00:00Z');
    const late = new Date('2026-11-17T11:00:00Z'); // 19:00 in Shanghai
    const food = intent({ merchantId: 'mer_cafe', category: 'food', amount: { minor: 25_00, currency: 'CNY' } });
    expect(evaluateMandate(shopRule, food, saturday).outcome).toBe('confirm');
    expect(evaluateMandate(shopRule, food, late).outcome).toBe('confirm');
  });

  it('says why each rule missed', () => {
    const verdict = evaluateMandate(shopRule, intent({ amount: { minor: 300_00, currency: 'CNY' } }), NOW);
    expect(verdict.reasons[0]!.message).toContain('300.00 CNY is above 200.00 CNY');
  });
});
