import type { Merchant } from '@agentpay/protocol';
import type { RelayHttpClient } from '@agentpay/protocol';
import { CheckoutFailure } from './failure.ts';

/**
 * How long the relay's answer "one merchant has proven this origin" is used again. A user's agent
 * shops at the same few sites, and asking first put the relay's round trip before both the window
 * and the intent. Reusing it is safe: the relay checks the intent's origin against the merchant's
 * proven sites itself, so a merchant that stopped proving this origin meanwhile gets a refused or
 * flagged intent, never a payment the user was not shown.
 */
export const MERCHANT_REMEMBERED_MS = 5 * 60_000;

/** One merchant per origin the relay named lately, by relay and origin; kept in the worker's memory only. */
const remembered = new Map<string, { merchant: Merchant; until: number }>();

/** The merchants that proved `origin` to the relay, the one answer before used again (see above). */
async function merchantsProving(relay: RelayHttpClient, origin: string, now: number, { fresh = false } = {}): Promise<Merchant[]> {
  const key = `${relay.baseUrl} ${origin}`;
  const known = remembered.get(key);
  if (known && known.until > now && !fresh) return [known.merchant];
  const answer = await relay.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`);
  // A relay older than registered currencies leaves the field out: that is "none registered".
  const merchants = answer.merchants.map((m) => ({ ...m, currency: m.currency ?? null }));
  // None (a shop may register any moment) and several (the user must not be guessed for) are asked again.
  if (merchants.length === 1) remembered.set(key, { merchant: merchants[0]!, until: now + MERCHANT_REMEMBERED_MS });
  else remembered.delete(key);
  return merchants;
}

/**
 * The merchant that proved to the relay the origin the browser saw is its own (claims alone are not listed),
 * with the currency it registered (`currency`, null when none), in which a total whose symbol several
 * currencies share (¥, $, kr) is read.
 */
export async function merchantForOrigin(relay: RelayHttpClient, origin: string, claimedId?: string, now = Date.now()): Promise<Merchant> {
  let merchants = await merchantsProving(relay, origin, now);
  // A page naming another merchant than the one remembered: the relay is asked, not the memory.
  if (claimedId && !merchants.some((m) => m.id === claimedId)) merchants = await merchantsProving(relay, origin, now, { fresh: true });
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
