import type { Merchant } from '@agentpay/protocol';
import type { RelayHttpClient } from '@agentpay/protocol';
import { CheckoutFailure } from './failure.ts';

/**
 * The merchant that proved to the relay the origin the browser saw is its own (claims alone are not listed),
 * with the currency it registered (`currency`, null when none), in which a total whose symbol several
 * currencies share (¥, $, kr) is read.
 */
export async function merchantForOrigin(relay: RelayHttpClient, origin: string, claimedId?: string): Promise<Merchant> {
  const answer = await relay.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`);
  // A relay older than registered currencies leaves the field out: that is "none registered".
  const merchants = answer.merchants.map((m) => ({ ...m, currency: m.currency ?? null }));
  if (!claimedId && merchants.length > 1) {
    // Several merchants proved this origin (e.g. a shop that re-registered under a new key): guessing could pay the wrong one.
    throw new CheckoutFailure('ambiguous_merchant', `${merchants.length} merchants (${merchants.map((m) => m.name).join(', ')}) have proven ${origin} as theirs, and this checkout does not say which it is`);
  }
  const merchant = claimedId ? merchants.find((m) => m.id === claimedId) : merchants[0];
  if (merchant) return merchant;
  if (claimedId && merchants.length) {
    throw new CheckoutFailure('merchant_mismatch', `the page asked to pay merchant ${claimedId}, but ${origin} is registered as ${merchants.map((m) => m.id).join(', ')}`);
  }
  throw new CheckoutFailure('unknown_merchant', `${origin} is not the proven site of a merchant registered with your relay, so AgentPay will not pay it`);
}

/**
 * The merchant of a card checkout: the top page's, whose total and button the
 * user sees, though the card fields may be a payment provider's frames; else,
 * for a shop embedded in another site, the frame's own.
 */
export async function merchantForCard(relay: RelayHttpClient, topOrigin: string, frameOrigin: string): Promise<{ merchant: Merchant; origin: string }> {
  try {
    return { merchant: await merchantForOrigin(relay, topOrigin), origin: topOrigin };
  } catch (error) {
    if (frameOrigin === topOrigin || !(error instanceof CheckoutFailure) || error.code !== 'unknown_merchant') throw error;
    return { merchant: await merchantForOrigin(relay, frameOrigin), origin: frameOrigin };
  }
}
