import type { BudgetStanding } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { type AskedOften, suggestions } from './suggestions.ts';

const budget = (usedPercent: number): BudgetStanding => ({
  actorId: 'agt_tea', actorName: 'Tea buyer', period: 'month', timeZone: 'Asia/Shanghai',
  budget: { minor: 500_00, currency: 'CNY' }, spent: { minor: usedPercent * 5_00, currency: 'CNY' }, left: { minor: 500_00 - usedPercent * 5_00, currency: 'CNY' },
  usedPercent, periodStart: '2026-10-31T16:00:00.000Z', renewsAt: '2026-11-30T16:00:00.000Z',
});
const asked = (n: number, approved: number): AskedOften => ({ actorId: 'agt_shop', actorName: 'Shopping agent', merchantId: 'mer_tea', merchantName: 'Demo Tea Shop', asked: n, approved });
const none = { budgets: [], asked: [], recurring: [], timeZone: 'Asia/Shanghai' };

describe('suggestions', () => {
  it.each([
    ['a budget 79% used', { ...none, budgets: [budget(79)] }, []],
    ['a budget 80% used', { ...none, budgets: [budget(80)] }, [
      'Tea buyer has used 80% of its monthly budget of 500.00 CNY: 100.00 CNY left until it renews on 1 December.',
    ]],
    ['two approvals', { ...none, asked: [asked(2, 2)] }, []],
    ['three asked, two approved', { ...none, asked: [asked(3, 2)] }, []],
    ['three approvals', { ...none, asked: [asked(3, 3)] }, [
      'Shopping agent asked you to confirm 3 payments at Demo Tea Shop in the last 30 days and you approved every one: a rule for Demo Tea Shop would save you those clicks.',
    ]],
    ['five asked, three approved', { ...none, asked: [asked(5, 3)] }, [
      'Shopping agent asked you to confirm 5 payments at Demo Tea Shop in the last 30 days and you approved 3 of them: a rule for Demo Tea Shop would save you those clicks.',
    ]],
    ['a weekly purchase', {
      ...none,
      recurring: [{ merchantId: 'mer_tea', merchantName: 'Demo Tea Shop', interval: 'weekly' as const, amount: { minor: 30_00, currency: 'CNY' }, occurrences: 4, lastAt: '2026-11-21T01:00:00.000Z', nextExpectedAt: '2026-11-27T16:00:00.000Z' }],
    }, ['You buy from Demo Tea Shop every week (30.00 CNY, 4 times so far): the next is likely around 28 November.']],
  ])('%s', (_name, input, texts) => {
    expect(suggestions(input).map((s) => s.text)).toEqual(texts);
  });

  it('puts money running out before clicks to save', () => {
    const kinds = suggestions({ ...none, asked: [asked(4, 4)], budgets: [budget(95)] }).map((s) => s.kind);
    expect(kinds).toEqual(['budget_nearly_spent', 'make_a_rule']);
  });
});
