/**
 * The facts a user cares about, read from the test web's ledger (no browser
 * driver here, so the Firefox harness uses the same): the agent's card never
 * reached a server, and a merchant was paid exactly once with a token's card.
 */
import { AGENT_CARD, isTokenCard, type ChargeRecord, type Ledger } from './ledger.ts';

export type Mark = ReturnType<Ledger['mark']>;

/** Throws, naming each server and request, if the agent's own card reached any server after `since`. */
export function assertAgentCardReachedNoServer(ledger: Ledger, since: Mark): void {
  const leaks = ledger.cards.slice(since.cards).filter((card) => card.number === AGENT_CARD.number);
  if (leaks.length) {
    const where = [...new Set(leaks.map((leak) => `${leak.site} ${leak.request} (${leak.how})`))];
    throw new Error(`the agent's card ${AGENT_CARD.number} reached ${where.join('; ')}`);
  }
}

/** Card numbers that are not a token's that reached any server after `since` (the agent's or any other). */
export function nonTokenCardsSince(ledger: Ledger, since: Mark): string[] {
  return [...new Set(ledger.cards.slice(since.cards).filter((card) => !isTokenCard(card.number)).map((card) => `${card.number} at ${card.site} ${card.request}`))];
}

/** The charges for `pageId` since `since`, each as the ledger holds it. */
export function chargesFor(ledger: Ledger, pageId: string, since: Mark): ChargeRecord[] {
  return ledger.charges.slice(since.charges).filter((charge) => charge.pageId === pageId);
}

const describe = (charges: ChargeRecord[]) =>
  charges.map((c) => `${c.outcome} ${c.amount.minor} ${c.amount.currency} with ${'card' in c.with ? `card ${c.with.card}` : 'a token'} (${c.detail})`).join('; ') || 'none';

/**
 * Exactly one successful charge for the page since `since`, with a token's
 * card (BIN 999) or the token itself, of the order's amount; returns it.
 */
export function assertPaidOnceWithToken(ledger: Ledger, pageId: string, since: Mark, merchant: string): ChargeRecord {
  const charges = chargesFor(ledger, pageId, since);
  const paid = charges.filter((charge) => charge.outcome === 'paid');
  if (paid.length !== 1) throw new Error(`expected ${merchant} to be paid once for ${pageId}, got ${paid.length} payments; charges: ${describe(charges)}`);
  const [charge] = paid as [ChargeRecord];
  if (charge.merchant !== merchant) throw new Error(`${pageId} paid ${charge.merchant}, not ${merchant}`);
  if ('card' in charge.with && !isTokenCard(charge.with.card)) throw new Error(`${pageId} was paid with card ${charge.with.card}, which is no token's`);
  return charge;
}

/** No successful charge for the page since `since`. */
export function assertNothingPaid(ledger: Ledger, pageId: string, since: Mark): void {
  const paid = chargesFor(ledger, pageId, since).filter((charge) => charge.outcome === 'paid');
  if (paid.length) throw new Error(`expected nothing paid for ${pageId}; charges: ${describe(paid)}`);
}

/** True once the ledger holds a charge outcome (paid or refused) for the page since `since`. */
export const chargedOrRefused = (ledger: Ledger, pageId: string, since: Mark): boolean => chargesFor(ledger, pageId, since).length > 0;
