import { describe, expect, it } from 'vitest';
import { recordState, reversalText, type RecordLike } from './summaries.ts';

describe('recordState', () => {
  const money = { minor: 1000, currency: 'CNY' };
  const record = (r: Partial<RecordLike>): RecordLike => ({ status: 'approved', amount: money, tokenStatus: null, charge: null, ...r });
  it.each([
    ['charged', record({ tokenStatus: 'charged', charge: { amount: money, refundedMinor: 0 } }), 'charged', true],
    ['partly refunded', record({ charge: { amount: money, refundedMinor: 250 } }), 'charged, 2.50 CNY refunded', true],
    ['refunded', record({ charge: { amount: money, refundedMinor: 1000 } }), 'refunded', false],
    ['token unused', record({ tokenStatus: 'active' }), 'approved, not charged yet', true],
    ['token revoked', record({ tokenStatus: 'revoked' }), 'reversed before charging', false],
    ['token expired', record({ tokenStatus: 'expired' }), 'approved, expired unused', false],
    ['held', record({ status: 'pending_confirmation' }), 'waiting for your confirmation', true],
    ['declined', record({ status: 'declined' }), 'declined', false],
    ['denied', record({ status: 'denied' }), 'denied', false],
    ['expired', record({ status: 'expired' }), 'expired', false],
  ])('%s', (_name, r, label, reversible) => {
    expect(recordState(r)).toEqual({ label, reversible });
  });
});

describe('reversalText', () => {
  it.each([
    [{ reversed: 'refunded' as const, refund: { amount: { minor: 1999, currency: 'USD' } } }, 'Refunded 19.99 USD.'],
    [{ reversed: 'token_revoked' as const }, 'Cancelled before the merchant charged it.'],
    [{ reversed: 'denied' as const }, 'Denied; the agent will not be paid.'],
  ])('%j', (result, text) => {
    expect(reversalText(result)).toBe(text);
  });
});
