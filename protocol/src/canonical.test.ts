import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical.ts';

describe('canonicalize (RFC 8785)', () => {
  it.each([
    ['sorts keys by UTF-16 code units', { b: 1, a: 2, '\u20ac': 3, '\r': 4, '\ud83d\ude00': 5, '\ufb33': 6 }, '{"\\r":4,"a":2,"b":1,"\u20ac":3,"\ud83d\ude00":5,"\ufb33":6}'],
    ['formats numbers in ECMAScript shortest form', [1e21, 1e-7, 0.1, -0, 333333333.3333333], '[1e+21,1e-7,0.1,0,333333333.3333333]'],
    ['escapes only what JSON requires', { s: '\u0000\u001f"\\/é' }, '{"s":"\\u0000\\u001f\\"\\\\/é"}'],
    ['drops undefined members and nests', { z: { y: [true, null], x: undefined }, a: 'x' }, '{"a":"x","z":{"y":[true,null]}}'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalize(input)).toBe(expected);
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalize({ n: Number.NaN })).toThrow(/cannot hold the number NaN/);
    expect(() => canonicalize({ f: () => 1 })).toThrow(/type function/);
  });

  it('is the same for the same value whatever the key order', () => {
    expect(canonicalize({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalize({ b: { d: 3, c: 2 }, a: 1 }));
  });
});
