import type { Money } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { sayAmount, sayCancelled, sayHeld, sayNotUnderstood, sayPaid, sayPayment, sayRefused, type SpokenPayment } from './read-back.ts';
import type { Language } from './text.ts';

const money = (minor: number, currency: string): Money => ({ minor, currency });

describe('sayAmount: with the currency\'s own decimals and spoken name', () => {
  it.each([
    [money(3500, 'CNY'), 'en', '35.00 yuan'],
    [money(3500, 'CNY'), 'zh', '35.00元'],
    [money(1250, 'USD'), 'en', '12.50 dollars'],
    [money(1250, 'USD'), 'zh', '12.50美元'],
    [money(500, 'EUR'), 'en', '5.00 euros'],
    [money(500, 'EUR'), 'zh', '5.00欧元'],
    [money(1200, 'JPY'), 'en', '1200 yen'],
    [money(5, 'CNY'), 'en', '0.05 yuan'],
    [money(1234, 'SGD'), 'en', '12.34 SGD'],
    [money(1234, 'KWD'), 'zh', '1.234 KWD'],
  ] as const)('%j in %s → %s', (amount, lang, spoken) => expect(sayAmount(amount, lang)).toBe(spoken));

  it.each([
    [money(12.5, 'CNY')],
    [money(-1, 'CNY')],
    [money(100, 'cny')],
  ])('refuses %j', (amount) => expect(() => sayAmount(amount, 'en')).toThrow(TypeError));
});

describe('sayPayment: the read-back before paying', () => {
  it.each([
    [{ amount: money(3500, 'CNY'), payee: 'Tea Shop', category: 'parking' }, 'en', 'About to pay 35.00 yuan to Tea Shop for parking. Say confirm or cancel.'],
    [{ amount: money(3500, 'CNY'), payee: 'the tea shop' }, 'en', 'About to pay 35.00 yuan to the tea shop. Say confirm or cancel.'],
    [{ amount: money(3500, 'CNY'), payee: 'Tea Shop', category: 'other' }, 'en', 'About to pay 35.00 yuan to Tea Shop. Say confirm or cancel.'],
    [{ amount: money(1250, 'USD'), payee: "Joe's Coffee", category: 'food' }, 'en', "About to pay 12.50 dollars to Joe's Coffee for food. Say confirm or cancel."],
    [{ amount: money(3500, 'CNY'), payee: '茶叶店' }, 'zh', '即将向茶叶店支付35.00元。请说“确认”或“取消”。'],
    [{ amount: money(1500, 'CNY'), payee: '国贸停车场', category: 'parking' }, 'zh', '即将向国贸停车场支付停车费15.00元。请说“确认”或“取消”。'],
    [{ amount: money(4800, 'CNY'), payee: '特来电', category: 'ev_charging' }, 'zh', '即将向特来电支付充电费48.00元。请说“确认”或“取消”。'],
    // A payee name from outside is spoken plainly: no control characters, no full stop of its own, not endless.
    [{ amount: money(100, 'CNY'), payee: '  Tea\u202e Shop.\n' }, 'en', 'About to pay 1.00 yuan to Tea Shop. Say confirm or cancel.'],
    [{ amount: money(100, 'CNY'), payee: 'X'.repeat(100) }, 'en', `About to pay 1.00 yuan to ${'X'.repeat(60)}…. Say confirm or cancel.`],
  ] as const)('%j in %s', (payment, lang, sentence) => expect(sayPayment(payment as SpokenPayment, lang)).toBe(sentence));

  it.each([
    [{ amount: money(100, 'CNY'), payee: '' }],
    [{ amount: money(100, 'CNY'), payee: '   ' }],
    [{ amount: money(100, 'CNY') }],
    [{ payee: 'Tea Shop' }],
  ])('refuses %j: the user must hear who and how much', (payment) => {
    expect(() => sayPayment(payment as SpokenPayment, 'en')).toThrow(TypeError);
  });

  it('refuses a language it does not speak', () => {
    expect(() => sayPayment({ amount: money(100, 'CNY'), payee: 'X' }, 'fr' as Language)).toThrow(TypeError);
  });
});

describe('what the device says next', () => {
  const paid = { amount: money(3500, 'CNY'), payee: '茶叶店' };
  it.each([
    [sayPaid(paid, 'zh'), '已向茶叶店支付35.00元。'],
    [sayPaid({ ...paid, payee: 'Tea Shop' }, 'en'), 'Paid 35.00 yuan to Tea Shop.'],
    [sayCancelled('en'), 'Cancelled. Nothing was paid.'],
    [sayCancelled('zh'), '已取消，没有付款。'],
    [sayHeld('en'), 'Waiting for your approval in the wallet.'],
    [sayHeld('zh'), '等待您在钱包中确认。'],
    [sayHeld('en', 'Over your limit for parking today.'), 'Waiting for your approval in the wallet. Over your limit for parking today.'],
    [sayHeld('en', 'no rule allows it (80.00 CNY is above 50.00 CNY)'), 'Waiting for your approval in the wallet. No rule allows it (80.00 CNY is above 50.00 CNY).'],
    [sayHeld('zh', '超过今日停车限额'), '等待您在钱包中确认。超过今日停车限额。'],
    [sayRefused('en', 'The merchant is not allowed'), 'The payment was refused; nothing was paid. The merchant is not allowed.'],
    [sayRefused('zh', '商户不在允许范围内。'), '付款被拒绝，没有扣款。商户不在允许范围内。'],
    [sayRefused('en'), 'The payment was refused; nothing was paid.'],
    [sayNotUnderstood('en'), 'Sorry, I did not catch that. Say what to pay, for example: pay the parking fee.'],
    [sayNotUnderstood('zh'), '抱歉，没有听清。请说要付的款，比如“付停车费”。'],
    [sayNotUnderstood('en', 'confirmation'), 'Sorry, I did not catch that. Say confirm or cancel.'],
    [sayNotUnderstood('zh', 'confirmation'), '抱歉，没有听清。请说“确认”或“取消”。'],
  ])('%s', (said, expected) => expect(said).toBe(expected));
});
