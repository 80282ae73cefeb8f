import { randomInt } from 'node:crypto';

/**
 * Card numbers start with 999: the major industry identifier 9 is for national
 * assignment and no card network issues 999, so a token's card number can never
 * be mistaken for (or collide with) a real card.
 */
export const CARD_BIN = '999';

/** A fresh random 16-digit number under CARD_BIN with a valid Luhn check digit. */
export function newCardNumber(): string {
  let body = CARD_BIN;
  while (body.length < 15) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

/** The digit that makes `body` + digit pass the Luhn check. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  // Walking from the right, every second digit of body (starting with the last) is doubled.
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = Number(body[i]);
    if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** A card's expiry is the month (UTC) in which its token expires. */
export function cardExpiry(expiresAt: Date): { expMonth: number; expYear: number } {
  return { expMonth: expiresAt.getUTCMonth() + 1, expYear: expiresAt.getUTCFullYear() };
}
