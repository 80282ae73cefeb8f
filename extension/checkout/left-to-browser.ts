import { type CardKind, type CardNetwork, entriesOf, isCardMethod, isNetwork, type MethodData, TOKEN_CARD } from './payment-methods.ts';

/**
 * The words for a Payment Request the wallet left to the browser (payment-methods.ts decides
 * that). Kept apart from the decision, which runs in every page: only the bridge needs these.
 * The page chose its method ids, so the notice names a method by a known name or its URL's
 * host, never by the page's own text.
 */
const NETWORK_NAMES: Record<CardNetwork, string> = {
  amex: 'American Express', cartebancaire: 'Cartes Bancaires', diners: 'Diners Club', discover: 'Discover',
  jcb: 'JCB', mastercard: 'Mastercard', mir: 'Mir', unionpay: 'UnionPay', visa: 'Visa',
};
const WALLET_NAMES: Record<string, string> = {
  'https://google.com/pay': 'Google Pay', 'https://pay.google.com/authentication': 'Google Pay', 'https://apple.com/apple-pay': 'Apple Pay',
  'https://samsung.com/pay': 'Samsung Pay', 'https://www.paypal.com/checkoutnow': 'PayPal', 'secure-payment-confirmation': 'Secure Payment Confirmation',
};

/** Why the wallet left a Payment Request to the browser's own sheet, as the page's notice says it. */
export function whyLeftToBrowser(methodData: readonly MethodData[], card: CardKind = TOKEN_CARD): string {
  return `left this checkout to the browser's own payment sheet: ${whyNot(entriesOf(methodData), card)}`;
}

function whyNot(entries: { id: string; data: unknown }[], card: CardKind): string {
  const cardMethods = entries.filter(isCardMethod);
  if (cardMethods.length) {
    const networks = new Set<CardNetwork>();
    const types = new Set<string>();
    for (const { id, data } of cardMethods) {
      if (isNetwork(id)) networks.add(id);
      const { supportedNetworks, supportedTypes } = (typeof data === 'object' && data ? data : {}) as { supportedNetworks?: unknown; supportedTypes?: unknown };
      if (Array.isArray(supportedNetworks)) supportedNetworks.filter(isNetwork).forEach((n) => networks.add(n));
      if (Array.isArray(supportedTypes)) supportedTypes.filter((t) => ['credit', 'debit', 'prepaid'].includes(t)).forEach((t) => types.add(t));
    }
    if (networks.size && card.network !== 'any' && !(card.network && networks.has(card.network))) {
      const its = card.network ? `a ${NETWORK_NAMES[card.network]} card` : 'on no card network';
      return `it takes only ${list([...networks].map((n) => NETWORK_NAMES[n]))} cards, and AgentPay's single-use card is ${its}`;
    }
    if (types.size && card.type !== 'any' && !types.has(card.type)) return `it takes only ${list([...types])} cards, and AgentPay's single-use card is ${card.type}`;
    return 'it does not say plainly which cards it takes, so AgentPay does not guess';
  }
  return `it takes only ${list([...new Set(entries.map((e) => methodName(e.id)))])}, which AgentPay cannot answer`;
}

/** A method id as a person knows it; only a known name or a URL's host, since the page chose the text. */
function methodName(id: string): string {
  if (WALLET_NAMES[id]) return WALLET_NAMES[id];
  try {
    const url = new URL(id);
    if (url.protocol === 'https:') return url.host;
  } catch {
    // not a URL
  }
  return 'a payment method it names itself';
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
