import { describe, expect, it } from 'vitest';
import { minorToText, parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it.each([
    ['12.34', 'CNY', 1234],
    ['12.3', 'CNY', 1230],
    ['12', 'CNY', 1200],
    [' 0.05 ', 'USD', 5],
    ['.5', 'EUR', 50],
    ['12.', 'EUR', 1200],
    ['12.340', 'CNY', 1234],
    ['1200', 'JPY', 1200],
    ['1200.0', 'JPY', 1200],
    ['1.234', 'KWD', 1234],
    ['0', 'CNY', 0],
    ['10000000000', 'CNY', 1_000_000_000_000],
    // Float arithmetic would give 1.1 * 100 = 110.00000000000001.
    ['1.1', 'USD', 110],
    ['19.99', 'USD', 1999],
  ])('%s %s → %i minor units', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toEqual({ ok: true, value: minor });
  });

  it.each([
    ['1.234', 'USD', /USD has 2 decimal places; 1.234 has 3/],
    ['12.5', 'JPY', /JPY has no minor unit/],
    ['abc', 'CNY', /"abc" is not an amount/],
    ['1,200', 'CNY', /not an amount/],
    ['1.2.3', 'CNY', /not an amount/],
    ['.', 'CNY', /not an amount/],
    ['', 'CNY', /enter an amount/],
    ['-5', 'CNY', /cannot be negative/],
    ['1e3', 'CNY', /not an amount/],
    ['10000000000.01', 'CNY', /largest amount/],
    ['12', 'cny', /not a currency code/],
  ])('%s %s is refused', (text, currency, message) => {
    const result = parseAmount(text, currency);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('minorToText', () => {
  it.each([
    [1234, 'CNY', '12.34'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [1200, 'JPY', '1200'],
    [1234, 'KWD', '1.234'],
  ])('%i %s → %s', (minor, currency, text) => {
    expect(minorToText(minor, currency)).toBe(text);
    expect(parseAmount(text, currency)).toEqual({ ok: true, value: minor });
  });
});
