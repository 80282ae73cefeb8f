import type { TokenCard } from '../checkout/card-body.ts';
import type { PagePayment } from '../shared/page-messages.ts';

/**
 * One checkout per agent card in this frame. The first form or request that
 * carries the agent's card asks the wallet; whatever carries the same card
 * while that question is open (a second click, an analytics beacon beside the
 * payment call) waits for the same answer. Once approved, the agent's card
 * stands for the token's for as long as the page lives, so the page's own
 * retry is sent with the token's card instead of asking again; the relay
 * charges a token once, whatever the page sends.
 */
const asking = new Map<string, Promise<PagePayment | null>>();
const approved = new Map<string, TokenCard>();
const tokenNumbers = new Set<string>();

/** A card the wallet gave this page: it may leave as it is. */
export function isTokenCard(digits: string): boolean {
  return tokenNumbers.has(digits);
}

/**
 * The token's card to send in place of the agent's `digits`: asked of the
 * wallet once (by `ask`), shared by everything that carries the same card.
 * Null when the wallet did not pay; rejects with the wallet's reason.
 */
export async function tokenCardFor(digits: string, ask: () => Promise<PagePayment | null>): Promise<TokenCard | null> {
  const known = approved.get(digits);
  if (known) return known;
  let answer = asking.get(digits);
  if (!answer) {
    answer = ask();
    asking.set(digits, answer);
    // A refusal is not remembered: the agent may try again, and the user be asked again.
    answer.then(
      (payment) => {
        asking.delete(digits);
        if (payment?.card) remember(digits, payment.card);
      },
      () => asking.delete(digits),
    );
  }
  return (await answer)?.card ?? null;
}

/** The token's card already approved in place of the agent's `digits`, if any. */
export function approvedCard(digits: string): TokenCard | undefined {
  return approved.get(digits);
}

function remember(digits: string, card: TokenCard): void {
  approved.set(digits, card);
  tokenNumbers.add(card.number);
}
