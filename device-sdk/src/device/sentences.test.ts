import { describe, expect, it } from 'vitest';
import { reasonToSay, sayNothingToConfirm, sayPaying, sayUnconfirmed } from './sentences.ts';

describe('what the device says', () => {
  it.each([
    [{ code: 'stale_intent', reason: 'This payment was asked for 20 minutes ago' }, 'en', 'This payment was asked for 20 minutes ago'],
    [{ code: 'stale_intent', reason: 'This payment was asked for 20 minutes ago' }, 'zh', '这笔付款提出的时间太久，为安全起见没有支付，请重新说一遍'],
    [{ code: 'pending_confirmation', reason: 'no rule allows it (80.00 CNY is above 50.00 CNY)' }, 'zh', undefined],
    [{ code: 'bad_signature', reason: 'this code was not signed by Stadium Parking' }, 'zh', '这个付款码不是商户签发的，可能是贴在原码上的假码'],
    [{ code: null, reason: null }, 'en', undefined],
  ] as const)('%j in %s says %j (never English inside Chinese)', (result, lang, expected) => {
    expect(reasonToSay(result, lang)).toBe(expected);
  });

  it.each([
    [sayPaying({ amount: { minor: 35_00, currency: 'CNY' }, payee: 'Tea Shop' }, 'en'), 'Paying 35.00 yuan to Tea Shop.'],
    [sayPaying({ amount: { minor: 35_00, currency: 'CNY' }, payee: '茶叶店' }, 'zh'), '正在向茶叶店支付35.00元。'],
    [sayUnconfirmed('en'), 'The merchant did not confirm the payment. Check the wallet before paying again.'],
    [sayNothingToConfirm('zh'), '现在没有需要确认的付款。'],
  ])('%s', (said, expected) => {
    expect(said).toBe(expected);
  });
});
