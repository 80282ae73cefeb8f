import { PAYMENT_METHOD } from '../shared/page-channel.ts';

/**
 * Which of the methods a page's `new PaymentRequest(methodData, …)` accepts the wallet
 * can answer, and in what shape. Pure, and free of heavy imports: the main-world
 * interceptor, which runs in every page, calls it.
 *
 * - AgentPay's own method, when the page lists it: the token as its details.
 * - A card method the token's card fits: `basic-card` (W3C Payment Method: Basic Card),
 *   its `data.supportedNetworks` and `supportedTypes` when given, or, in the shape of the
 *   API's early drafts that old pages still send, a card network as the method itself
 *   (`supportedMethods: ['visa', 'mastercard']`): the standard card fields.
 * - Anything else (Google Pay, Apple Pay, a network the card is not on) is left to the
 *   browser's own payment sheet (left-to-browser.ts puts the reason in words).
 */

/** The card network identifiers approved for the Payment Request API (W3C). */
export const CARD_NETWORKS = ['amex', 'cartebancaire', 'diners', 'discover', 'jcb', 'mastercard', 'mir', 'unionpay', 'visa'] as const;
export type CardNetwork = (typeof CARD_NETWORKS)[number];

export interface CardKind {
  /** The card's network; 'any' for a card every network's merchant takes; null when it is on none. */
  network: CardNetwork | 'any' | null;
  type: 'credit' | 'debit' | 'prepaid' | 'any';
}

/**
 * The relay's single-use token card. Its number starts 999 (relay/src/vault/card.ts), a
 * range no card network issues: the merchant charges it through the relay whichever network
 * its page names, so it answers any card method the page lists, `basic-card` with or without
 * networks and types, or networks as methods.
 */
export const TOKEN_CARD: CardKind = { network: 'any', type: 'any' };

/** One entry of the page's methodData, as the page gave it (early drafts allowed a list of ids). */
export interface MethodData {
  supportedMethods: string | string[];
  data?: unknown;
}

export type MethodChoice =
  | { kind: 'agentpay'; methodName: typeof PAYMENT_METHOD; data: unknown }
  | { kind: 'card'; methodName: string }
  /** None of them: the request is the browser's (left-to-browser.ts says why). */
  | { kind: 'browser' };

/** The method the wallet answers: its own when listed, else a card method its card fits, else none (the browser's). */
export function chooseMethod(methodData: readonly MethodData[], card: CardKind = TOKEN_CARD): MethodChoice {
  const entries = entriesOf(methodData);
  const ours = entries.find((e) => e.id === PAYMENT_METHOD);
  if (ours) return { kind: 'agentpay', methodName: PAYMENT_METHOD, data: ours.data };
  const cardMethods = entries.filter(isCardMethod);
  const fitting = cardMethods.find((e) => (e.id === 'basic-card' ? basicCardTakes(e.data, card) : card.network === 'any' || e.id === card.network));
  if (fitting) return { kind: 'card', methodName: fitting.id };
  return { kind: 'browser' };
}

/** Each method id the page gave, with its entry's data. */
export function entriesOf(methodData: readonly MethodData[]): { id: string; data: unknown }[] {
  return methodData.flatMap((m) => idsOf(m).map((id) => ({ id, data: m.data })));
}

export const isCardMethod = (entry: { id: string }): boolean => entry.id === 'basic-card' || isNetwork(entry.id);

/** The method ids of one methodData entry. */
export function idsOf(method: MethodData): string[] {
  const ids = typeof method.supportedMethods === 'string' ? [method.supportedMethods] : [...method.supportedMethods];
  return ids.filter((id): id is string => typeof id === 'string').map((id) => id.trim());
}

/** The standard BasicCardResponse for a card, as `PaymentResponse.details`. */
export function basicCardDetails(card: { number: string; expMonth: number; expYear: number; cvc: string }, cardholderName: string) {
  return {
    cardholderName,
    cardNumber: card.number,
    expiryMonth: String(card.expMonth).padStart(2, '0'),
    expiryYear: String(card.expYear),
    cardSecurityCode: card.cvc,
    billingAddress: null,
  };
}

export const isNetwork = (id: unknown): id is CardNetwork => typeof id === 'string' && (CARD_NETWORKS as readonly string[]).includes(id);

/**
 * Whether a `basic-card` entry takes the card. Missing or empty lists take every card (as the
 * spec says); anything that is not a list of strings is read as a restriction the card may not
 * meet, so the wallet never answers with a card the page might refuse.
 */
function basicCardTakes(data: unknown, card: CardKind): boolean {
  if (data === undefined || data === null) return true;
  if (typeof data !== 'object') return false;
  const { supportedNetworks, supportedTypes } = data as { supportedNetworks?: unknown; supportedTypes?: unknown };
  return listAllows(supportedNetworks, card.network) && listAllows(supportedTypes, card.type);
}

function listAllows(list: unknown, value: string | null): boolean {
  if (list === undefined || (Array.isArray(list) && list.length === 0)) return true;
  return Array.isArray(list) && value !== null && (value === 'any' ? list.every((item) => typeof item === 'string') : list.includes(value));
}
