/**
 * Card numbers start with 999: the major industry identifier 9 is for national
 * assignment and no card network issues 999, so a token's card number can never
 * be mistaken for (or collide with) a real card. Each token's number is derived
 * from its id with the vault key (vault.ts), like its secret and CVC.
 */
export const CARD_BIN = '999';

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
