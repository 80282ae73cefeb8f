import { describe, expect, it } from 'vitest';
import { understand } from './understand.ts';

const CNY = (minor: number) => ({ minor, currency: 'CNY' });

describe('understand: requests to pay', () => {
  it.each([
    // English: categories
    ['pay the parking fee', { lang: 'en', category: 'parking' }],
    ['Pay for the parking', { lang: 'en', category: 'parking' }],
    ['pay the charging fee', { lang: 'en', category: 'ev_charging' }],
    ['pay the toll', { lang: 'en', category: 'tolls' }],
    ['Please pay the toll.', { lang: 'en', category: 'tolls' }],
    ['I want to pay for fuel', { lang: 'en', category: 'fuel' }],
    ['pay', { lang: 'en' }],
    ['Pay!', { lang: 'en' }],
    // English: amounts and payees
    ['pay 35 yuan to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['Pay  35   yuan to   the tea shop, please.', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ["pay 12.50 dollars to Joe's Coffee", { lang: 'en', amount: { minor: 1250, currency: 'USD' }, payee: "Joe's Coffee" }],
    ['pay 12.50 dollars to Joe’s Coffee', { lang: 'en', amount: { minor: 1250, currency: 'USD' }, payee: "Joe's Coffee" }],
    ['pay thirty-five yuan to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['pay thirty five yuan to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['pay one hundred and five yuan to Lao Wang', { lang: 'en', amount: CNY(10500), payee: 'Lao Wang' }],
    ['pay two thousand five hundred yuan', { lang: 'en', amount: CNY(250000) }],
    ['pay a thousand yuan', { lang: 'en', amount: CNY(100000) }],
    ['pay twelve point five dollars', { lang: 'en', amount: { minor: 1250, currency: 'USD' } }],
    ['pay 12 dollars and 50 cents to Joe', { lang: 'en', amount: { minor: 1250, currency: 'USD' }, payee: 'Joe' }],
    ['pay twelve dollars and five cents', { lang: 'en', amount: { minor: 1205, currency: 'USD' } }],
    ['pay ¥35 to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['pay $12.50', { lang: 'en', amount: { minor: 1250, currency: 'USD' } }],
    ['pay €5 to the bakery', { lang: 'en', amount: { minor: 500, currency: 'EUR' }, payee: 'the bakery' }],
    ['pay 35 RMB to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['pay 1,200 yen', { lang: 'en', amount: { minor: 1200, currency: 'JPY' } }],
    ['pay 1,000 yuan', { lang: 'en', amount: CNY(100000) }],
    ['pay 20 yuan to Central Garage for parking', { lang: 'en', category: 'parking', amount: CNY(2000), payee: 'Central Garage' }],
    ['pay 3 dollars 50', { lang: 'en', amount: { minor: 350, currency: 'USD' } }],
    ['pay three dollars fifty to Joe', { lang: 'en', amount: { minor: 350, currency: 'USD' }, payee: 'Joe' }],
    ['pay 3 dollars 05', { lang: 'en', amount: { minor: 305, currency: 'USD' } }],
    ['pay 500 yen 50', { lang: 'en', amount: { minor: 500, currency: 'JPY' } }], // yen have no cents
    ['pay to the tea shop 35 yuan', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['PAY THE PARKING FEE', { lang: 'en', category: 'parking' }],
    // The payee's words are not read as a "no" or a category.
    ['pay 8 yuan to Bus Stop Noodles', { lang: 'en', amount: CNY(800), payee: 'Bus Stop Noodles' }],
    // Digits glued to a letter or a sign are no price: the device asks for the amount.
    ['pay 1e3 yuan to the tea shop', { lang: 'en', payee: 'the tea shop' }],
    ['pay -5 yuan to the tea shop', { lang: 'en', payee: 'the tea shop' }],
    ['pay 35yuan to the tea shop', { lang: 'en', amount: CNY(3500), payee: 'the tea shop' }],
    ['pay 30 yuan to the Parking Lot Bar', { lang: 'en', amount: CNY(3000), payee: 'the Parking Lot Bar' }],
    // An amount the currency cannot have is not an amount; the device asks.
    ['pay 12.505 dollars', { lang: 'en' }],
    ['pay 1.5 yen', { lang: 'en' }],
    // Chinese
    ['付停车费', { lang: 'zh', category: 'parking' }],
    ['付停车费。', { lang: 'zh', category: 'parking' }],
    ['请帮我付一下停车费', { lang: 'zh', category: 'parking' }],
    ['支付充电费', { lang: 'zh', category: 'ev_charging' }],
    ['交过路费', { lang: 'zh', category: 'tolls' }],
    ['付通行费', { lang: 'zh', category: 'tolls' }],
    ['给我付停车费', { lang: 'zh', category: 'parking' }],
    ['付款', { lang: 'zh' }],
    ['给茶叶店付三十五元', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['帮我给茶叶店付三十五元吧', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['付35块钱给茶叶店', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['付 35 块钱 给 茶叶店', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['付给茶叶店35元', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['向茶叶店支付35元', { lang: 'zh', amount: CNY(3500), payee: '茶叶店' }],
    ['付三十五块五', { lang: 'zh', amount: CNY(3550) }],
    ['付三十五块五毛', { lang: 'zh', amount: CNY(3550) }],
    ['付三十五块五毛二', { lang: 'zh', amount: CNY(3552) }],
    ['付五块零五分', { lang: 'zh', amount: CNY(505) }],
    ['付五毛钱', { lang: 'zh', amount: CNY(50) }],
    ['付一百零五元', { lang: 'zh', amount: CNY(10500) }],
    ['付一百五十元', { lang: 'zh', amount: CNY(15000) }],
    ['付两千元', { lang: 'zh', amount: CNY(200000) }],
    ['付十元', { lang: 'zh', amount: CNY(1000) }],
    ['付3万元', { lang: 'zh', amount: CNY(3000000) }],
    ['付35.5元', { lang: 'zh', amount: CNY(3550) }],
    ['付¥35', { lang: 'zh', amount: CNY(3500) }],
    ['付￥35', { lang: 'zh', amount: CNY(3500) }],
    ['付35 RMB', { lang: 'zh', amount: CNY(3500) }],
    ['付35 yuan', { lang: 'zh', amount: CNY(3500) }],
    ['付３５元', { lang: 'zh', amount: CNY(3500) }],
    ['付12.5美元给星巴克', { lang: 'zh', amount: { minor: 1250, currency: 'USD' }, payee: '星巴克' }],
    ["给Joe's Coffee付12.5美元", { lang: 'zh', amount: { minor: 1250, currency: 'USD' }, payee: "Joe's Coffee" }],
    ['付停车费二十元', { lang: 'zh', category: 'parking', amount: CNY(2000) }],
    ['给停车场付20元停车费', { lang: 'zh', category: 'parking', amount: CNY(2000), payee: '停车场' }],
    ['转账给张三100元', { lang: 'zh', amount: CNY(10000), payee: '张三' }], // 三 is the name's, not the amount's
    ['给李四付五十元', { lang: 'zh', amount: CNY(5000), payee: '李四' }],
    ['付三五块', { lang: 'zh' }], // "three to five yuan" is no amount
    ['缴纳充电费48块', { lang: 'zh', category: 'ev_charging', amount: CNY(4800) }],
  ])('%j', (transcript, expected) => {
    expect(understand(transcript)).toEqual({ kind: 'pay', ...expected, transcript });
  });
});

describe('understand: bare numbers', () => {
  it.each([
    ['pay 35 to the tea shop', 'CNY', { amount: CNY(3500), payee: 'the tea shop' }],
    ['pay 35 to the tea shop', undefined, { payee: 'the tea shop' }], // no currency said or given: no amount
    ['付35给茶叶店', 'CNY', { amount: CNY(3500), payee: '茶叶店' }],
    ['pay 12.5 to Joe', 'USD', { amount: { minor: 1250, currency: 'USD' }, payee: 'Joe' }],
    ['pay 35 yuan to the tea shop', 'USD', { amount: CNY(3500), payee: 'the tea shop' }], // the said currency wins
  ])('%j with default %s', (transcript, defaultCurrency, expected) => {
    expect(understand(transcript, { defaultCurrency })).toMatchObject({ kind: 'pay', ...expected });
    if (!('amount' in expected)) expect(understand(transcript, { defaultCurrency })).not.toHaveProperty('amount');
  });

  it('refuses a malformed default currency (a programming error)', () => {
    expect(() => understand('pay 35', { defaultCurrency: 'cny' })).toThrow(TypeError);
  });
});

describe('understand: confirmations, cancellations and the rest', () => {
  it.each([
    ['confirm', 'confirm', 'en'],
    ['pay 35 yuan to the tea shop no', 'cancel', 'en'],
    ['pay 35 yuan to the tea house, no wait, 53', 'cancel', 'en'],
    ['pay 35 yuan to the tea house, sorry, I mean the bakery', 'unknown', 'en'],
    ['Confirm.', 'confirm', 'en'],
    ['yes, confirm', 'confirm', 'en'],
    ['Yes. Confirm!', 'confirm', 'en'],
    ['confirm payment', 'confirm', 'en'],
    ['ok pay', 'confirm', 'en'],
    ['OK', 'confirm', 'en'],
    ['yes please', 'confirm', 'en'],
    ['go ahead', 'confirm', 'en'],
    ["that's right", 'confirm', 'en'],
    ['ＯＫ', 'confirm', 'en'],
    ['确认', 'confirm', 'zh'],
    ['确认支付', 'confirm', 'zh'],
    ['好的，确认', 'confirm', 'zh'],
    ['好的 确认。', 'confirm', 'zh'],
    ['是的', 'confirm', 'zh'],
    ['可以，付吧', 'confirm', 'zh'],
    ['没问题', 'confirm', 'zh'],
    ['OK，确认', 'confirm', 'zh'],
    ['cancel', 'cancel', 'en'],
    ['Cancel!', 'cancel', 'en'],
    ['no', 'cancel', 'en'],
    ['No, thanks.', 'cancel', 'en'],
    ["don't pay", 'cancel', 'en'],
    ['do not pay', 'cancel', 'en'],
    ['stop', 'cancel', 'en'],
    ["don't confirm", 'cancel', 'en'],
    ["Don’t confirm", 'cancel', 'en'],
    ['no, do not confirm the payment', 'cancel', 'en'],
    ['never mind', 'cancel', 'en'],
    ['wait', 'cancel', 'en'],
    ['pay the parking fee, no, cancel', 'cancel', 'en'],
    ['yes, cancel', 'cancel', 'en'],
    ['取消', 'cancel', 'zh'],
    ['取消。', 'cancel', 'zh'],
    ['不要付', 'cancel', 'zh'],
    ['算了', 'cancel', 'zh'],
    ['不用了', 'cancel', 'zh'],
    ['不确认', 'cancel', 'zh'],
    ['不是', 'cancel', 'zh'],
    ['别付', 'cancel', 'zh'],
    ['付停车费，算了不要了', 'cancel', 'zh'],
    // Questions ask; they do not request.
    ["what's the parking fee?", 'unknown', 'en'],
    ['how much do I pay for parking', 'unknown', 'en'],
    ['is the toll paid', 'unknown', 'en'],
    ['停车费多少钱？', 'unknown', 'zh'],
    ['要不要付停车费', 'unknown', 'zh'],
    ['付停车费吗', 'unknown', 'zh'],
    // No verb, no request: the category or amount alone is not enough.
    ['the parking fee', 'unknown', 'en'],
    ['35 yuan', 'unknown', 'en'],
    ['停车费', 'unknown', 'zh'],
    // Chatter with a yes-word in it is no confirmation.
    ['yes the weather is nice today', 'unknown', 'en'],
    ['今天天气是晴天', 'unknown', 'zh'],
    ['confirm 35 yuan', 'unknown', 'en'], // details without a verb: not a yes to the read-back
    ['play some music', 'unknown', 'en'],
    ['', 'unknown', 'en'],
    ['   ', 'unknown', 'en'],
    ['。。。', 'unknown', 'zh'],
    ['!!!', 'unknown', 'en'],
    ['pay the parking fee '.repeat(30), 'unknown', 'en'], // over 500 characters
    ['\u0000\u202e', 'unknown', 'en'],
  ])('%j → %s', (transcript, kind, lang) => {
    expect(understand(transcript)).toEqual({ kind, lang, transcript });
  });

  it('a detailed "confirm" is a new request to read back, never a yes to an earlier one', () => {
    expect(understand('confirm payment of 35 yuan to the tea shop')).toMatchObject({ kind: 'pay', amount: CNY(3500), payee: 'the tea shop' });
  });

  it('never throws on what a caller might pass', () => {
    for (const odd of [undefined, null, 42, {}, '\ud800', '💳'.repeat(10), '付'.repeat(500), '一'.repeat(100) + '元']) {
      expect(() => understand(odd as string)).not.toThrow();
    }
  });
});
