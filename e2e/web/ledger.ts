/**
 * What every server of the test web received and charged, so a test can say
 * what a user cares about: whose card left the browser, and who was paid.
 * Servers record; assertions.ts reads.
 */

/** The card a browser agent carries and types into checkouts: Luhn-valid, not a token's. */
export const AGENT_CARD = { number: '4242424242424242', expMonth: '12', expYear: '30', cvc: '123', name: 'Agent Smith' } as const;

/** Token cards are issued under BIN 999 (relay/src/vault/card.ts); no network issues it. */
export const isTokenCard = (number: string): boolean => number.startsWith('999');

/** A card number one of our servers received, where and how. */
export interface CardSeen {
  site: string;
  /** e.g. "POST /checkout/classic" */
  request: string;
  number: string;
  /** body, query or a beacon: found in the raw request; parsed: put together by the handler (split fields). */
  how: 'body' | 'query' | 'parsed';
}

/** One charge a server asked the relay for, and how it ended. */
export interface ChargeRecord {
  site: string;
  merchant: string;
  pageId: string;
  orderId: string;
  amount: { minor: number; currency: string };
  /** "card" with the number charged, or "token" (the secret of an AgentPay token). */
  with: { card: string } | { token: true };
  outcome: 'paid' | 'refused';
  /** The relay's charge id, or its refusal code. */
  detail: string;
}

export class Ledger {
  readonly cards: CardSeen[] = [];
  readonly charges: ChargeRecord[] = [];
  /** What a server refused before charging (e.g. a card it could not read), by page, to tell a test why nothing was charged. */
  readonly refusals: { pageId: string; site: string; reason: string }[] = [];
  /** Every request any server answered, as "site METHOD path", to tell a test where things went. */
  readonly requests: string[] = [];

  /** Where the ledger stands now; pass it to the assertions to look only at what came after. */
  mark(): { cards: number; charges: number; requests: number; refusals: number } {
    return { cards: this.cards.length, charges: this.charges.length, requests: this.requests.length, refusals: this.refusals.length };
  }

  /** Records every card number in a request's raw text (URL and body). */
  scan(site: string, request: string, text: string, how: CardSeen['how']): void {
    for (const number of cardNumbersIn(text)) this.cards.push({ site, request, number, how });
  }

  /** Records a card a handler put together from fields (e.g. four boxes), which no raw scan sees whole. */
  parsed(site: string, request: string, number: string): void {
    const digits = number.replace(/\D/g, '');
    if (digits.length >= 12) this.cards.push({ site, request, number: digits, how: 'parsed' });
  }
}

/**
 * Luhn-valid runs of 13–19 digits, written together or in groups split by
 * spaces, dashes, dots or their URL encodings, as people and scripts write them.
 */
export function cardNumbersIn(raw: string): string[] {
  let text = raw;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // Not URL-encoded (or broken encoding): scan it as it is.
  }
  const found = new Set<string>();
  for (const run of text.matchAll(/\d+(?:[ \-.\u00a0\u202f]\d+)*/g)) {
    // Groups of a run ("4242 4242 4242 4242 12 30"): any consecutive groups may be the card.
    const groups = run[0].split(/[ \-.\u00a0\u202f]/);
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 19; last++) {
        digits += groups[last];
        if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) found.add(digits);
      }
    }
  }
  return [...found];
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let digit = Number(digits[i]);
    if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
