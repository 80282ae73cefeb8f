import type { PaymentStory } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { paymentAction, refundQuestion, reversalText } from './payment-actions.ts';
import { timeLeft } from './story-text.tsx';

const story = (state: PaymentStory['state']): PaymentStory => ({ state, reason: null, moneyMoved: false, answerBy: null, at: '2026-11-30T10:00:00Z' });
const charge = (refundedMinor: number) => ({ id: 'chg_1', amount: { minor: 58_00, currency: 'CNY' }, refundedMinor });

describe('what a record offers', () => {
  it.each([
    ['paid', charge(0), story('paid'), { kind: 'refund', amount: { minor: 58_00, currency: 'CNY' } }],
    ['partly refunded: the rest', charge(20_00), story('refunded'), { kind: 'refund', amount: { minor: 38_00, currency: 'CNY' } }],
    ['wholly refunded', charge(58_00), story('refunded'), null],
    ['approved, not charged: cancel, not refund', null, story('approved'), { kind: 'cancel' }],
    ['awaiting you', null, story('awaiting_you'), null],
    ['refused', null, story('refused'), null],
    ['expired unused', null, story('expired'), null],
    ['cancelled', null, story('cancelled'), null],
  ] as const)('%s', (_name, c, s, expected) => {
    expect(paymentAction({ charge: c, story: s })).toEqual(expected);
  });
});

describe('the words around a reversal', () => {
  it('asks naming the amount and the shop', () => {
    expect(refundQuestion({ minor: 58_00, currency: 'CNY' }, 'Demo Tea Shop')).toBe('Refund 58.00 CNY from Demo Tea Shop?');
  });
  it('says plainly what happened', () => {
    expect(reversalText({ reversed: 'refunded', refund: { amount: { minor: 58_00, currency: 'CNY' } } }, 'Demo Tea Shop')).toBe('Refunded 58.00 CNY from Demo Tea Shop.');
    expect(reversalText({ reversed: 'token_revoked' }, 'Demo Tea Shop')).toBe('Cancelled before Demo Tea Shop charged it; nothing was paid.');
  });
  it('counts down the time left to answer', () => {
    const by = '2026-11-30T10:05:00Z';
    expect(timeLeft(by, Date.parse('2026-11-30T10:00:00Z'))).toBe('5:00');
    expect(timeLeft(by, Date.parse('2026-11-30T10:04:55.5Z'))).toBe('0:05');
    expect(timeLeft(by, Date.parse('2026-11-30T10:05:00Z'))).toBeNull();
  });
});
