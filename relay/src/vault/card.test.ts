import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { CARD_BIN, cardExpiry, luhnCheckDigit, luhnValid } from './card.ts';
import { createVault } from './vault.ts';

describe('card numbers', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['79927398710', false],
  ])('Luhn: %s is valid: %s', (number, valid) => {
    expect(luhnValid(number)).toBe(valid);
  });

  it('derives 16-digit Luhn-valid numbers under the 999 BIN, one per token id and vault key', () => {
    const vault = createVault(randomBytes(32));
    const numbers = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const number = vault.cardNumberFor(`tok_${i}`);
      numbers.add(number);
      expect(vault.cardNumberFor(`tok_${i}`)).toBe(number);
      expect(number).toMatch(/^999\d{13}$/);
      expect(number.startsWith(CARD_BIN)).toBe(true);
      expect(luhnValid(number)).toBe(true);
    }
    expect(numbers.size).toBe(200);
    expect(createVault(randomBytes(32)).cardNumberFor('tok_0')).not.toBe(vault.cardNumberFor('tok_0'));
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });

  it('expires in the UTC month of the token', () => {
    expect(cardExpiry(new Date('2026-11-30T23:59:00Z'))).toEqual({ expMonth: 11, expYear: 2026 });
    expect(cardExpiry(new Date('2026-12-31T23:59:59Z'))).toEqual({ expMonth: 12, expYear: 2026 });
  });
});
