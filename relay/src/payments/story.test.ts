import { describe, expect, it } from 'vitest';
import { type PaymentFacts, paymentStory } from './story.ts';
import { TASK_SILENCE_MS, taskStory } from './task-story.ts';

const t0 = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const base: PaymentFacts = {
  status: 'pending_confirmation',
  decision: { reasons: [], risk: [] },
  amount: { minor: 58_00, currency: 'CNY' },
  merchantName: 'Demo Tea Shop',
  createdAt: t0,
  confirmBy: at(5),
  answeredAt: null,
  approvedAt: null,
  endedReason: null,
  token: null,
  charge: null,
  failure: null,
};
const approved = { ...base, status: 'approved' as const, confirmBy: null, answeredAt: at(1), approvedAt: at(1) };
const activeToken = { status: 'active' as const, expiresAt: at(16), usedAt: null };
const charged = { status: 'charged' as const, expiresAt: at(16), usedAt: at(2) };

/** Each row: the facts, the relay's clock, and the story every view must then show. */
const cases: [string, PaymentFacts, Date, { state: string; reason: string | null; moneyMoved: boolean; answerBy?: string | null }][] = [
  ['held, in time', base, at(1), { state: 'awaiting_you', reason: 'Waiting for your answer; nothing is paid unless you approve.', moneyMoved: false, answerBy: at(5).toISOString() }],
  ['held past its time, before the sweeper ran', base, at(6), { state: 'expired', reason: 'Nobody answered within 5 minutes; nothing was paid.', moneyMoved: false, answerBy: null }],
  ['held for a short time (a relay set so), past it', { ...base, confirmBy: new Date(t0.getTime() + 40_000) }, at(1),
    { state: 'expired', reason: 'Nobody answered within 40 seconds; nothing was paid.', moneyMoved: false }],
  ['expired by the sweeper', { ...base, status: 'expired' }, at(6), { state: 'expired', reason: 'Nobody answered within 5 minutes; nothing was paid.', moneyMoved: false }],
  ['rejected by the user', { ...base, status: 'denied', answeredAt: at(1) }, at(2), { state: 'refused', reason: 'You rejected it; nothing was paid.', moneyMoved: false }],
  ['cancelled: the tab closed', { ...base, status: 'denied', answeredAt: at(1), endedReason: 'the checkout tab was closed before you answered.' }, at(2),
    { state: 'cancelled', reason: 'Cancelled: the checkout tab was closed before you answered; nothing was paid.', moneyMoved: false }],
  ['declined by the mandate', { ...base, status: 'declined', confirmBy: null, decision: { reasons: [{ code: 'category_blocked', message: 'the user blocked the category tolls' }], risk: [] } }, at(0),
    { state: 'refused', reason: 'Declined by the mandate: the user blocked the category tolls; nothing was paid.', moneyMoved: false }],
  ['approved, not charged', { ...approved, token: activeToken }, at(2), { state: 'approved', reason: 'Approved; the shop has not charged it yet.', moneyMoved: false }],
  ['approved, token past its time before the sweeper ran', { ...approved, token: activeToken }, at(17),
    { state: 'expired', reason: 'Approved, but the shop never charged it; nothing was paid.', moneyMoved: false }],
  ['approved, token expired unused', { ...approved, token: { status: 'expired', expiresAt: at(16), usedAt: at(16) } }, at(20),
    { state: 'expired', reason: 'Approved, but the shop never charged it; nothing was paid.', moneyMoved: false }],
  ['approved, then cancelled by the user', { ...approved, endedReason: 'you cancelled it before the shop charged it', token: { status: 'revoked', expiresAt: at(16), usedAt: at(3) } }, at(4),
    { state: 'cancelled', reason: 'Cancelled: you cancelled it before the shop charged it; nothing was paid.', moneyMoved: false }],
  ['approved, then the agent failed', { ...approved, token: activeToken, failure: { message: 'the checkout page went away', at: at(3) } }, at(4),
    { state: 'failed', reason: 'Approved, then the checkout page went away; nothing was paid. The approval ends by itself unused.', moneyMoved: false }],
  ['paid', { ...approved, token: charged, charge: { minor: 58_00, refundedMinor: 0, at: at(2), lastRefundAt: null } }, at(3),
    { state: 'paid', reason: 'Paid 58.00 CNY to Demo Tea Shop.', moneyMoved: true }],
  ['paid, though the agent later reported a failure', { ...approved, token: charged, charge: { minor: 58_00, refundedMinor: 0, at: at(2), lastRefundAt: null }, failure: { message: 'x', at: at(3) } }, at(4),
    { state: 'paid', reason: 'Paid 58.00 CNY to Demo Tea Shop.', moneyMoved: true }],
  ['partly refunded', { ...approved, token: charged, charge: { minor: 58_00, refundedMinor: 20_00, at: at(2), lastRefundAt: at(3) } }, at(4),
    { state: 'refunded', reason: 'Refunded 20.00 of 58.00 CNY; 38.00 CNY stays paid to Demo Tea Shop.', moneyMoved: true }],
  ['wholly refunded', { ...approved, token: charged, charge: { minor: 58_00, refundedMinor: 58_00, at: at(2), lastRefundAt: at(3) } }, at(4),
    { state: 'refunded', reason: 'Refunded 58.00 of 58.00 CNY; nothing stays paid.', moneyMoved: false }],
];

describe('a payment\'s story', () => {
  it.each(cases)('%s', (_name, facts, now, expected) => {
    expect(paymentStory(facts, now)).toMatchObject(expected);
  });

  it('stamps an expiry at the moment the time ran out, not when it was noticed', () => {
    expect(paymentStory(base, at(60)).at).toBe(at(5).toISOString());
  });
});

describe('a task\'s story', () => {
  const step = (stage: string, minutes: number, message: string | null = null) => ({ stage, message, at: at(minutes) });

  it('is its payment\'s story when it asked to pay', () => {
    const refused = paymentStory({ ...base, status: 'denied', answeredAt: at(1) }, at(2));
    expect(taskStory(step('awaiting_confirmation', 0), refused, at(2))).toEqual(refused);
  });

  it('is where the agent got to while it has not asked to pay', () => {
    expect(taskStory(step('searching', 0), null, at(1)).state).toBe('searching');
    expect(taskStory(step('found', 0), null, at(1)).state).toBe('found');
  });

  it('has failed, with the agent\'s words, when the agent said so', () => {
    expect(taskStory(step('failed', 0, 'out of stock'), null, at(1))).toMatchObject({ state: 'failed', reason: 'Out of stock; nothing was paid.' });
  });

  it('is cancelled once the agent has said nothing for 30 minutes, and not a minute before', () => {
    expect(taskStory(step('found', 0), null, new Date(t0.getTime() + TASK_SILENCE_MS - 60_000)).state).toBe('found');
    expect(taskStory(step('found', 0), null, new Date(t0.getTime() + TASK_SILENCE_MS))).toMatchObject({
      state: 'cancelled', reason: 'The agent stopped reporting for 30 minutes; nothing was paid.',
    });
  });
});
