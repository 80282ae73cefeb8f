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

describe('parseMoneyText', () => {
  it.each([
    ['189.00 CNY', 18900, 'CNY'],
    ['CNY 189.00', 18900, 'CNY'],
    ['¥189.00', 18900, 'CNY'],
    ['￥189.00', 18900, 'CNY'],
    ['$1,299.50', 129950, 'USD'],
    ['US$ 20', 2000, 'USD'],
    ['合计：￥35', 3500, 'CNY'],
    ['实付 35.80 元', 3580, 'CNY'],
    ['€7.25', 725, 'EUR'],
    ['£10', 1000, 'GBP'],
    ['JPY 1,500', 1500, 'JPY'],
    ['Total:\n  1,234,567.89 USD', 123456789, 'USD'],
  ] as const)('%j → %i %s', (text, minor, currency) => {
    expect(parseMoneyText(text)).toEqual({ minor, currency });
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
    expect(parseMoneyText(text)).toBeNull();
  });
});

// Only a number next to a currency is a price: not "VAT", not an order number or an item count.
describe('parseMoneyText, numbers that are not the price', () => {
  it.each([
    ['Total incl. VAT: $12.00', { minor: 1200, currency: 'USD' }],
    ['Order 2024 total ¥35', { minor: 3500, currency: 'CNY' }],
    ['1 item · $9.99', { minor: 999, currency: 'USD' }],
    ['HK$100', { minor: 10000, currency: 'HKD' }],
    ['订单 ord_4x9 · 应付金额 58.00 CNY', { minor: 5800, currency: 'CNY' }],
    ['合计 2 件 35元', { minor: 3500, currency: 'CNY' }],
  ] as const)('%j', (text, money) => {
    expect(parseMoneyText(text)).toEqual(money);
  });
});
