import { describe, expect, it } from 'vitest';
import { type ActorHabits, assessRisk } from './risk.ts';

const calm: ActorHabits = { intentsLastMinute: 0, spentLastHourMinor: 0, spentPriorWeekMinor: 168_000, approvedCount: 20, medianMinor: 1000, merchantKnown: true };
const options = { riskMaxIntentsPerMinute: 30, riskAmountFactor: 10, riskSpendFactor: 5, merchantNamed: false };
const pay = (minor: number) => ({ amount: { minor, currency: 'CNY' }, merchantId: 'mer_1' });

describe('assessRisk', () => {
  it.each<[string, Partial<ActorHabits>, number, boolean, string[]]>([
    ['usual behaviour passes', {}, 1000, false, []],
    ['a burst of intents', { intentsLastMinute: 30 }, 1000, false, ['rate_spike']],
    ['an amount far above usual (and so above a typical hour)', {}, 10_001, false, ['amount_unusual', 'spend_spike']],
    ['an amount far above usual in a busy week', { spentPriorWeekMinor: 10_000_000 }, 10_001, false, ['amount_unusual']],
    ['too little history to judge amounts', { approvedCount: 4 }, 50_000, false, []],
    ['spend far above a typical hour', { spentLastHourMinor: 4_500 }, 1000, false, ['spend_spike']],
    ['a first hour of spending is not a spike', { spentPriorWeekMinor: 0, spentLastHourMinor: 9_000 }, 1000, false, []],
    ['a merchant never paid before', { merchantKnown: false }, 1000, false, ['new_merchant']],
    ['a merchant the user named is not new', { merchantKnown: false }, 1000, true, []],
  ])('%s', (_name, habits, minor, merchantNamed, codes) => {
    const notes = assessRisk({ ...calm, ...habits }, pay(minor), { ...options, merchantNamed });
    expect(notes.map((n) => n.code)).toEqual(codes);
  });
});
