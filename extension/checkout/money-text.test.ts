import { describe, expect, it } from 'vitest';
import { readDecimalPrice, parseMoneyText } from './money-text.ts';

describe('readDecimalPrice', () => {
  it.each([
    ['189.00', 'CNY', 18900],
    ['189', 'CNY', 18900],
    ['189.5', 'cny', 18950],
    ['0.01', 'USD', 1],
    ['12.340', 'USD', 1234], // trailing zeros are not extra precision
    ['1299.50', 'USD', 129950],
    [' 7.25 ', 'EUR', 725],
    ['1500', 'JPY', 1500],
    ['1500.00', 'JPY', 1500],
    ['0', 'USD', 0],
  ] as const)('%s %s → %i', (value, currency, minor) => {
    expect(readDecimalPrice(value, currency)).toBe(minor);
  });

  it.each([
    ['12.345', 'USD', /more decimals/],
    ['1500.5', 'JPY', /more decimals/],
    ['1,299.50', 'USD', /not a decimal amount/],
    ['-5', 'USD', /not a decimal amount/],
    ['abc', 'USD', /not a decimal amount/],
    ['', 'USD', /not a decimal amount/],
    ['1.', 'USD', /not a decimal amount/],
    ['9999999999999', 'USD', /too large/],
  ] as const)('%s %s is refused', (value, currency, error) => {
    expect(() => readDecimalPrice(value, currency)).toThrow(error);
  });
});

const en = { lang: 'en' };
const zh = { lang: 'zh-CN' };

describe('parseMoneyText', () => {
  it.each([
    ['189.00 CNY', {}, 18900, 'CNY'],
    ['CNY 189.00', {}, 18900, 'CNY'],
    ['¥189.00', zh, 18900, 'CNY'],
    ['￥189.00', zh, 18900, 'CNY'],
    ['$1,299.50', en, 129950, 'USD'],
    ['US$ 20', {}, 2000, 'USD'],
    ['合计：￥35', zh, 3500, 'CNY'],
    ['实付 35.80 元', {}, 3580, 'CNY'],
    ['€7.25', {}, 725, 'EUR'],
    ['£10', {}, 1000, 'GBP'],
    ['JPY 1,500', {}, 1500, 'JPY'],
    ['Total:\n  1,234,567.89 USD', {}, 123456789, 'USD'],
  ] as const)('%j %j → %i %s', (text, context, minor, currency) => {
    expect(parseMoneyText(text, context)).toEqual({ minor, currency });
  });

  it.each([
    ['189.00', 'a number without a currency'],
    ['Total: 42', 'a number without a currency'],
    ['USD', 'a currency without a number'],
    ['Free shipping', 'no price at all'],
    ['', 'empty text'],
    ['$1.999', 'more decimals than USD has'],
    ['JPY 1,500.50', 'decimals JPY does not have'],
  ] as const)('%j → null (%s)', (text, _why) => {
    expect(parseMoneyText(text, en)).toBeNull();
  });
});

// Only a number next to a currency is a price: not "VAT", not an order number or an item count.
describe('parseMoneyText, numbers that are not the price', () => {
  it.each([
    ['Total incl. VAT: $12.00', en, { minor: 1200, currency: 'USD' }],
    ['Order 2024 total ¥35', zh, { minor: 3500, currency: 'CNY' }],
    ['1 item · $9.99', en, { minor: 999, currency: 'USD' }],
    ['HK$100', {}, { minor: 10000, currency: 'HKD' }],
    ['订单 ord_4x9 · 应付金额 58.00 CNY', {}, { minor: 5800, currency: 'CNY' }],
    ['合计 2 件 35元', {}, { minor: 3500, currency: 'CNY' }],
    ['Gesamt 42,50 € 1 Artikel', { lang: 'de' }, { minor: 4250, currency: 'EUR' }],
    ['TOP 10 · 12,00 €', { lang: 'fr' }, { minor: 1200, currency: 'EUR' }],
  ] as const)('%j', (text, context, money) => {
    expect(parseMoneyText(text, context)).toEqual(money);
  });
});

describe('parseMoneyText, read with the page\'s locale', () => {
  it.each([
    ['42,50 €', { lang: 'de' }, 4250, 'EUR'],
    ['42,50 €', {}, 4250, 'EUR'], // no lang: two digits after the comma are decimals anywhere
    ['1.234,56 €', { lang: 'de-DE' }, 123456, 'EUR'],
    ['1\u202F234,56 €', { lang: 'fr' }, 123456, 'EUR'],
    ['1\u00A0234,56 €', { lang: 'fr-FR' }, 123456, 'EUR'],
    ['1 234,56 €', { lang: 'fr' }, 123456, 'EUR'], // a plain space, where the locale groups with spaces
    ['2 345,00 €', { lang: 'en' }, 34500, 'EUR'], // a plain space is no group separator in English: 2 is something else
    ['1.234 €', { lang: 'de' }, 123400, 'EUR'],
    ['€ 1.234,56', { lang: 'nl' }, 123456, 'EUR'],
    ['EUR 42,50', { lang: 'es' }, 4250, 'EUR'],
    ['42,50 EUR', { lang: 'es' }, 4250, 'EUR'],
    ['42,- €', { lang: 'de' }, 4200, 'EUR'],
    ["CHF 1'234.50", { lang: 'de-CH' }, 123450, 'CHF'],
    ['CHF 1’234.50', { lang: 'de-CH' }, 123450, 'CHF'],
    ['Fr. 12.50', { lang: 'de-CH' }, 1250, 'CHF'],
    ['¥4,980', { lang: 'ja' }, 4980, 'JPY'],
    ['￥4,980（税込）', { lang: 'ja-JP' }, 4980, 'JPY'],
    ['4,980円', {}, 4980, 'JPY'],
    ['¥4,980.00', { lang: 'zh' }, 498000, 'CNY'],
    ['$12.00', { lang: 'en-CA' }, 1200, 'CAD'],
    ['$12.00', { lang: 'en-AU' }, 1200, 'AUD'],
    ['$12.00', { lang: 'en-US' }, 1200, 'USD'],
    ['$12.00', { lang: 'en', currencies: ['CAD'] }, 1200, 'CAD'], // a priceCurrency beats the language
    ['$12.00', { currencies: ['EUR', 'AUD', 'USD'] }, 1200, 'AUD'], // the strongest hint that is a dollar
    ['C$ 12.00', {}, 1200, 'CAD'],
    ['R$ 1.234,56', { lang: 'pt-BR' }, 123456, 'BRL'],
    ['1 234,50 kr', { lang: 'sv' }, 123450, 'SEK'],
    ['kr 1.234,50', { lang: 'da' }, 123450, 'DKK'],
    ['kr 1 234,50', { lang: 'nb' }, 123450, 'NOK'],
    ['kr 99', { currencies: ['NOK'] }, 9900, 'NOK'],
    ['49,99 zł', { lang: 'pl' }, 4999, 'PLN'],
    ['1 299 ₽', { lang: 'ru' }, 129900, 'RUB'],
    ['₺1.234,56', { lang: 'tr' }, 123456, 'TRY'],
    ['1,234 KWD', { lang: 'en' }, 1234000, 'KWD'],
    ['1,234 KWD', { lang: 'de' }, 1234, 'KWD'],
  ] as const)('%j %j → %i %s', (text, context, minor, currency) => {
    expect(parseMoneyText(text, context)).toEqual({ minor, currency });
  });

  it.each([
    ['¥4,980', {}, 'no lang: JPY or CNY'],
    ['¥4,980', { lang: 'en' }, 'an English page says nothing of yen or yuan'],
    ['$12.00', {}, 'no lang: which dollar'],
    ['$12.00', { lang: 'es' }, 'a Spanish page: pesos of several countries, not a decision'],
    ['kr 99', { lang: 'en' }, 'which crown'],
    ['1,234 KWD', {}, 'three decimals or a thousands separator: only a locale can say'],
    ['1.234 €', { lang: 'en' }, 'in English that is 1.234 euros, more decimals than EUR has'],
  ] as const)('%j %j → not a guess (%s)', (text, context, _why) => {
    expect(parseMoneyText(text, context)).toBeNull();
  });
});
