import { describe, expect, it } from 'vitest';
import { decimalToMinor, minorToDecimal } from './money.ts';

describe('Payment Request amounts from minor units', () => {
  it.each([
    [1234, 'CNY', '12.34'],
    [5, 'CNY', '0.05'],
    [50, 'USD', '0.50'],
    [0, 'EUR', '0.00'],
    [259_00, 'CNY', '259.00'],
    [1200, 'JPY', '1200'],
    [0, 'KRW', '0'],
    [1234, 'KWD', '1.234'],
    [7, 'BHD', '0.007'],
    [1_000_000_000_000, 'CNY', '10000000000.00'],
    // 0.1 + 0.2 style float trouble cannot happen: the digits are never divided.
    [30, 'CNY', '0.30'],
  ])('%i %s is "%s" and back', (minor, currency, value) => {
    expect(minorToDecimal(minor, currency)).toBe(value);
    expect(decimalToMinor(value, currency)).toBe(minor);
  });

  it('refuses what is not an amount instead of rounding it', () => {
    expect(() => minorToDecimal(12.5, 'CNY')).toThrow(/non-negative integer/);
    expect(() => minorToDecimal(-1, 'CNY')).toThrow(/non-negative integer/);
    expect(() => decimalToMinor('12.345', 'CNY')).toThrow(/more than 2 decimals/);
    expect(() => decimalToMinor('12.5', 'JPY')).toThrow(/more than 0 decimals/);
    expect(() => decimalToMinor('-1', 'CNY')).toThrow(/not a non-negative decimal/);
    expect(() => decimalToMinor('1e3', 'CNY')).toThrow(/not a non-negative decimal/);
    expect(decimalToMinor('12.3', 'CNY')).toBe(1230);
  });
});
