import { describe, expect, it } from 'vitest';
import { displayText } from './display-text.ts';
import { LineItem } from './intent.ts';
import { MerchantRegistration } from './parties.ts';

const name = displayText(120, 'name is required');

describe('display text (names and line items the user reads before approving)', () => {
  it.each([
    ['plain', 'Demo Tea Shop', 'Demo Tea Shop'],
    ['Chinese', '茶馆 · 龙井', '茶馆 · 龙井'],
    ['spaces at the ends and inside', '  Demo \t Tea\n\nShop  ', 'Demo Tea Shop'],
    ['no-break and ideographic spaces', 'Demo\u00A0Tea\u3000Shop', 'Demo Tea Shop'],
    ['full-width letters (NFKC)', 'Ｄｅｍｏ Ｔｅａ', 'Demo Tea'],
    ['a ligature (NFKC)', 'Oﬃce Tea', 'Office Tea'],
    ['combining accent composed (NFKC)', 'Cafe\u0301', 'Café'],
    ['zero-width space', 'Demo\u200B Tea\u200B Shop', 'Demo Tea Shop'],
    ['zero-width joiner and non-joiner', 'De\u200Dmo\u200C Tea', 'Demo Tea'],
    ['byte order mark and word joiner', '\uFEFFDemo\u2060 Tea', 'Demo Tea'],
    ['soft hyphen', 'Tea\u00ADpot', 'Teapot'],
    ['left-to-right and right-to-left marks', '\u200EDemo\u200F Tea\u061C', 'Demo Tea'],
    ['Hangul fillers', 'Demo\u3164 Tea\u115F', 'Demo Tea'],
    ['variation selectors and their supplement', 'Demo Tea\uFE0F Sho\u{E0100}p', 'Demo Tea Shop'],
    ['tag characters', 'Demo\u{E0041}\u{E007F} Tea', 'Demo Tea'],
    ['a braille blank read as a space', 'Demo\u2800Tea', 'Demo Tea'],
  ])('%s: %j reads %j', (_what, input, expected) => {
    expect(name.parse(input)).toBe(expected);
  });

  it.each([
    ['right-to-left override', 'Tea \u202Egpj.exe', /U\+202E, a bidirectional control/],
    ['left-to-right embedding', '\u202ADemo', /U\+202A, a bidirectional control/],
    ['first-strong isolate', 'Demo \u2068Tea\u2069', /U\+2068, a bidirectional control/],
    ['a bell (C0 control)', 'Demo\u0007Tea', /U\+0007, a control or invisible formatting character/],
    ['a C1 control', 'Demo\u009BTea', /U\+009B, a control/],
    ['an interlinear annotation anchor (format character)', 'Demo\uFFF9Tea', /U\+FFF9/],
    ['a lone surrogate', 'Demo\uD800Tea', /lone surrogate/],
    ['a noncharacter', 'Demo Tea\uFFFF', /U\+FFFF, a private-use or unassigned/],
    ['a private-use character', 'Demo\uE000Tea', /U\+E000, a private-use or unassigned/],
    ['nothing but invisible characters', '\u200B\u200D\uFEFF', /name is required/],
    ['nothing but spaces', ' \t ', /name is required/],
  ])('refuses %s', (_what, input, message) => {
    const result = name.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(message);
  });

  it('applies to merchant names and line item names, naming the field', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'B'.repeat(43) };
    const merchant = MerchantRegistration.safeParse({ name: 'Demo Tea Shop\u202E', publicKey: key });
    expect(merchant.error!.issues[0]).toMatchObject({ path: ['name'], message: expect.stringContaining('U+202E') });
    expect(MerchantRegistration.parse({ name: ' Demo\u200B Tea  Shop ', publicKey: key }).name).toBe('Demo Tea Shop');
    expect(LineItem.parse({ name: 'Yixing\u00A0clay teapot\u200B', quantity: 1, unitMinor: 1 }).name).toBe('Yixing clay teapot');
    expect(LineItem.safeParse({ name: 'teapot\u2066', quantity: 1, unitMinor: 1 }).error!.issues[0]!.path).toEqual(['name']);
  });

  it('is idempotent: normalised text parses to itself', () => {
    for (const input of ['Ｄｅｍｏ\u200B  Tea', 'Cafe\u0301 ﬁ', '  a \u3000 b ']) {
      const once = name.parse(input);
      expect(name.parse(once)).toBe(once);
    }
  });
});
