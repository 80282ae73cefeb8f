import { describe, expect, it } from 'vitest';
import { IntentRequest } from './intent.ts';
import { formatMoney, Money } from './money.ts';

const base = {
  merchantId: 'mer_1',
  amount: { minor: 1500, currency: 'CNY' },
  lineItems: [{ name: 'Tea', quantity: 3, unitMinor: 500 }],
  category: 'groceries',
  channel: 'browser',
};

describe('IntentRequest', () => {
  it('accepts a cart whose items add up to the amount', () => {
    expect(IntentRequest.parse(base).amount.minor).toBe(1500);
  });

  it.each([
    ['a float amount', { amount: { minor: 15.5, currency: 'CNY' } }, 'amount.minor'],
    ['a lower-case currency', { amount: { minor: 1500, currency: 'cny' } }, 'amount.currency'],
    ['a negative amount', { amount: { minor: -1, currency: 'CNY' } }, 'amount.minor'],
    ['items that do not add up', { lineItems: [{ name: 'Tea', quantity: 2, unitMinor: 500 }] }, 'lineItems'],
    ['an unknown channel', { channel: 'telepathy' }, 'channel'],
    ['an unknown field', { tip: 5 }, '(root)'],
  ])('rejects %s, naming the field', (_name, patch, path) => {
    const result = IntentRequest.safeParse({ ...base, ...patch });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.') || '(root)');
    expect(paths).toContain(path);
  });
});

describe('Money', () => {
  it.each([
    [{ minor: 3500, currency: 'CNY' }, '35.00 CNY'],
    [{ minor: 1200, currency: 'JPY' }, '1200 JPY'],
    [{ minor: 1234, currency: 'KWD' }, '1.234 KWD'],
  ])('formats %o as %s', (money, text) => {
    expect(formatMoney(Money.parse(money))).toBe(text);
  });
});
