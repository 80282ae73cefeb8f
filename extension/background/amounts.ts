import type { Merchant } from '@agentpay/protocol';
import { readDecimalPrice } from '../checkout/money-text.ts';
import { type AmountRequest, read, update } from '../shared/state.ts';
import { beginCheckout, type CheckoutSource, type CheckoutStart, settle } from './checkouts.ts';
import { CheckoutFailure, describeFailure } from './failure.ts';
import { openConfirmWindow, showBadge } from './pending.ts';

/**
 * Card checkouts whose page shows no total the wallet can read. Holding them
 * until the page changes would hold them for ever; guessing could pay the wrong
 * amount. So the user is asked, in the confirmation window, what the shop asks
 * for; that amount then goes to the relay and is approved like any other, and
 * the token allows no more, whatever the shop's server charges.
 */
export async function askForAmount(start: CheckoutStart, source: CheckoutSource, merchant: Merchant & { origin: string }, why: string): Promise<void> {
  const request: AmountRequest = {
    checkoutId: start.checkoutId,
    shape: start.shape,
    tabId: source.tabId,
    frameId: source.frameId,
    frameOrigin: source.origin,
    topOrigin: source.topOrigin,
    merchant: { id: merchant.id, name: merchant.name, origin: merchant.origin },
    agentName: start.agentName,
    claimed: start.claimed ?? false,
    cardSentTo: start.card?.destination ?? null,
    why,
    currency: merchant.currency ?? null,
    createdAt: new Date().toISOString(),
  };
  await update('amountRequests', (list) => [...list.filter((r) => r.checkoutId !== request.checkoutId), request]);
  await showBadge();
  await openConfirmWindow();
}

async function take(checkoutId: string): Promise<AmountRequest | undefined> {
  let taken: AmountRequest | undefined;
  await update('amountRequests', (list) => {
    taken = list.find((r) => r.checkoutId === checkoutId);
    return list.filter((r) => r.checkoutId !== checkoutId);
  });
  await showBadge();
  return taken;
}

/** The user named the amount: the checkout goes on as if the page had shown it. */
export async function amountGiven(checkoutId: string, given: { value: string; currency: string }): Promise<void> {
  const currency = given.currency.toUpperCase();
  let minor: number;
  try {
    minor = readDecimalPrice(given.value, currency);
  } catch (error) {
    throw new CheckoutFailure('invalid_amount', (error as Error).message);
  }
  if (minor <= 0) throw new CheckoutFailure('invalid_amount', 'the amount must be more than zero');
  const request = await take(checkoutId);
  if (!request) return; // answered already (a second click, or the window closed meanwhile)
  const source: CheckoutSource = { tabId: request.tabId, frameId: request.frameId, origin: request.frameOrigin, topOrigin: request.topOrigin };
  const order = { amount: { minor, currency }, lineItems: [], description: `Card payment at ${request.merchant.name}` };
  const start: CheckoutStart = { checkoutId, shape: request.shape, order, card: request.cardSentTo ? { destination: request.cardSentTo } : undefined, agentName: request.agentName, claimed: request.claimed };
  try {
    await beginCheckout(start, source);
  } catch (error) {
    await settle(request, { ok: false, error: describeFailure(error) });
  }
}

/** The user would not say what it costs (or closed the window): the card stays unsent. */
export async function amountRefused(checkoutId: string, message = 'you did not give an amount for this checkout, so nothing was paid'): Promise<void> {
  const request = await take(checkoutId);
  if (request) await settle(request, { ok: false, error: { code: 'rejected', message } });
}

/** Closing the confirmation window refuses every amount it still asked for. */
export async function refuseAllAmounts(why = 'the confirmation window was closed, so this checkout was rejected; nothing was paid'): Promise<void> {
  for (const request of await read('amountRequests')) await amountRefused(request.checkoutId, why);
}
