import { formatMoney, type ConfirmationRequest, type Intent, type RelayHttpClient, signCanonical } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { keyNames, loadKey } from '../shared/keys.ts';
import type { CheckoutOrder } from '../shared/messages.ts';
import type { PagePayment } from '../shared/page-messages.ts';
import { agentClient, pairing, walletClient } from '../shared/relay.ts';
import { type PendingCheckout, type Shape, read } from '../shared/state.ts';
import { agentFor, claimedAgentFor } from './agents.ts';
import { CheckoutFailure, describeFailure } from './failure.ts';
import { askForAmount } from './amounts.ts';
import { fillFrames } from './inject.ts';
import { merchantForCard, merchantForOrigin } from './merchants.ts';
import { orderShownFor } from './shown-order.ts';
import { notify } from './notify.ts';
import { reportProgress, taskIdOf } from './progress.ts';
import { APPROVED_SENTENCE, EXPIRED_SENTENCE, recordOutcome } from './outcomes.ts';
import { dequeue, enqueue } from './pending.ts';
import { asksEveryTime, rememberDecision, startChecking, stopChecking } from './early-window.ts';

/** Where a checkout came from, as the browser reports it. */
export interface CheckoutSource {
  tabId: number;
  frameId: number;
  /** The origin of the frame the checkout was held in. */
  origin: string;
  /** The origin of the tab's top page: a card's merchant, when the card fields are a provider's frames. */
  topOrigin: string;
}

export interface CheckoutStart {
  checkoutId: string;
  shape: Shape;
  /** Absent for a held card: the order is read from the top page once the merchant is known. */
  order?: CheckoutOrder;
  /** A held card: where it was going, and (held in the top page) the order that page showed. */
  card?: { destination: string; shownOrder?: CheckoutOrder };
  agentName: string;
  /** The page named this agent (window.agentpay), so it is one of the few that site may have. */
  claimed?: boolean;
  /** QR payments: where the merchant's code asks for the token. */
  notify?: { url: string; reference: string };
}

/**
 * Starts paying a held checkout: an intent at the relay, signed by the agent
 * that drove the page. Approved by the mandate, it is paid at once; held, it
 * joins the confirmation queue; declined, the page is told why.
 */
export async function beginCheckout(start: CheckoutStart, source: CheckoutSource): Promise<void> {
  // The agent's key is read while the relay names the merchant: an agent this browser already
  // knows is only looked up here; registering a new one waits for the merchant (below).
  const knownAgent = start.claimed ? Promise.resolve(undefined) : knownAgentClient(start.agentName);
  knownAgent.catch(() => undefined);
  const alwaysAsks = start.claimed ? Promise.resolve(false) : asksEveryTime(start.agentName);
  alwaysAsks.catch(() => undefined);
  const wallet = await walletClient();
  const { merchant, origin } = start.card
    ? await merchantForCard(wallet, source.topOrigin, source.origin)
    : { merchant: await merchantForOrigin(wallet, source.origin, start.order?.merchantId), origin: source.origin };
  // At a merchant's proven site, for an agent of the user's whose payments always come to the user,
  // the browser opens the window while the relay decides (never for an agent a page named itself).
  const early = (await alwaysAsks)
    ? startChecking({ checkoutId: start.checkoutId, agentName: start.agentName, origin, amount: start.order?.amount ?? null })
    : null;
  early?.catch(() => undefined); // waited for below; a window that would not open is no reason not to ask the relay
  // A card held in the top page came with the order it shows, unless the merchant's currency reads its total otherwise.
  const shown = source.frameId === 0 ? start.card?.shownOrder : undefined;
  let order = start.order ?? (shown && (!merchant.currency || shown.amount.currency === merchant.currency) ? shown : undefined);
  if (!order) {
    try {
      order = await orderShownFor(source, start.checkoutId, merchant.currency ? [merchant.currency] : []);
    } catch (error) {
      // No total the wallet can read: the user says what the shop asks, rather than the card waiting for ever.
      if (error instanceof CheckoutFailure && error.code === 'no_total') {
        await askForAmount(start, source, { ...merchant, origin }, error.message);
        await stopChecking(start.checkoutId);
        return;
      }
      throw error;
    }
  }
  // Registered only now, once the merchant is known: a page that is no merchant's adds no agent to the wallet.
  const actorId = start.claimed ? await claimedAgentFor(start.agentName, source.origin) : await agentFor(start.agentName);
  const known = await knownAgent.catch(() => undefined);
  const agent = known?.actorId === actorId ? known.client : await agentClient(actorId);
  const foundAt = new Date();
  const asked = agent.post<Intent>(
    '/v1/intents',
    {
      merchantId: merchant.id,
      amount: order.amount,
      lineItems: order.lineItems,
      category: order.category,
      channel: 'browser',
      description: order.description || undefined,
      taskId: taskIdOf(start.checkoutId),
      createdAt: new Date().toISOString(),
      context: { origin },
    },
    // One checkout is one intent, however often the agent clicks or the worker restarts.
    { idempotencyKey: `checkout-${start.checkoutId}` },
  );
  // Where the window is already open, the wallet asks for the confirmation beside the intent: it arrives as the relay holds it.
  const confirmationWait = new AbortController();
  const confirmationAsked = early ? heldConfirmation(wallet, start.checkoutId, confirmationWait.signal) : null;
  confirmationAsked?.catch(() => undefined); // asked again below if this fails
  // Sent after the intent, not awaited: the user's window should not wait on a progress line (each carries its own time).
  void reportProgress(agent, start.checkoutId, 'found', `${start.agentName} reached a ${start.shape} checkout of ${formatMoney(order.amount)} at ${merchant.name}`, undefined, foundAt);
  const intent = await asked.catch((error: unknown) => {
    confirmationWait.abort();
    throw error;
  });
  // Approved or declined outright: no confirmation will come.
  if (intent.status !== 'pending_confirmation') confirmationWait.abort();
  void rememberDecision(start.agentName, intent);

  if (intent.status === 'approved' && intent.token) {
    await deliver({ ...start, ...source, intentId: intent.id, cardOrigins: cardOrigins(start, source) }, intent);
    await reportProgress(agent, start.checkoutId, 'paid', `paid ${formatMoney(intent.amount)} to ${merchant.name} within the mandate`, intent.id);
    const within = `${start.agentName} paid within its mandate (${intent.decision.reasons.map((r) => r.message).join('; ')})`;
    if (early) {
      // The window opened on a guess that this agent always asks: it says what the mandate did instead.
      await early.catch(() => undefined);
      await recordOutcome({ intentId: intent.id, checkoutId: start.checkoutId, merchantName: merchant.name, amount: intent.amount, state: 'approved', sentence: `Approved by ${start.agentName}'s mandate (${intent.decision.reasons.map((r) => r.message).join('; ')}); handed to the shop, waiting for it to charge. Nothing is paid until it does.` });
      await stopChecking(start.checkoutId);
    }
    await notify(`Paid ${formatMoney(intent.amount)} to ${merchant.name}`, `${within}.`);
    return;
  }
  if (intent.status !== 'pending_confirmation') {
    const why = intent.decision.reasons.map((r) => r.message).join('; ') || intent.status;
    throw new CheckoutFailure(`intent_${intent.status}`, `the relay ${intent.status} this payment (${why}); nothing was paid`);
  }
  const waited = await confirmationAsked?.catch(() => []);
  const confirmations = waited?.some((c) => c.intentId === intent.id)
    ? waited
    : (await wallet.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations')).confirmations;
  const confirmation = confirmations.find((c) => c.intentId === intent.id);
  if (!confirmation) throw new CheckoutFailure('confirmation_missing', 'the relay holds this payment but offers no confirmation for it; try again');
  await enqueue({
    checkoutId: start.checkoutId,
    intentId: intent.id,
    shape: start.shape,
    tabId: source.tabId,
    frameId: source.frameId,
    origin,
    cardSentTo: start.card?.destination ?? null,
    cardOrigins: cardOrigins(start, source),
    agentName: start.agentName,
    actorId,
    confirmation,
    description: order.description || null,
    notify: start.notify ?? null,
    createdAt: new Date().toISOString(),
  });
  if (early) await stopChecking(start.checkoutId);
  // After the window is up: the user should not wait on a progress line.
  void reportProgress(agent, start.checkoutId, 'awaiting_confirmation', 'waiting for you in the AgentPay window', intent.id);
}

/** The confirmation request of this checkout's task, waited for at the relay until it holds the intent (a few seconds at most). */
async function heldConfirmation(wallet: RelayHttpClient, checkoutId: string, signal: AbortSignal): Promise<ConfirmationRequest[]> {
  const path = `/v1/wallet/confirmations?taskId=${encodeURIComponent(taskIdOf(checkoutId))}&waitSeconds=5`;
  return (await wallet.get<{ confirmations: ConfirmationRequest[] }>(path, { signal })).confirmations;
}

/** The frames whose card fields take the token's card: the one the card was held in, and the top page. */
function cardOrigins(start: CheckoutStart, source: CheckoutSource): string[] {
  return start.card ? [...new Set([source.origin, source.topOrigin])] : [];
}

type Delivery = Pick<PendingCheckout, 'checkoutId' | 'tabId' | 'frameId' | 'shape' | 'intentId' | 'cardOrigins'> & {
  notify?: { url: string; reference: string } | null;
};

/** Hands the token to the checkout: to the page, or for a QR code to the merchant's notify address. */
async function deliver(checkout: Delivery, intent: Intent): Promise<void> {
  const token = intent.token!;
  const payment: PagePayment = { intentId: intent.id, token: token.secret, card: token.card, amount: intent.amount };
  if (checkout.notify) {
    const response = await fetch(checkout.notify.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: checkout.notify.reference, token: token.secret }),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new CheckoutFailure('merchant_refused', `the merchant refused the payment (${response.status}): ${text.slice(0, 300)}`);
    }
  }
  // The fields first: a held form is submitted, and a page may read its fields, as soon as it is told.
  if (token.card && checkout.cardOrigins.length > 0) await fillFrames(checkout.tabId, token.card, checkout.cardOrigins);
  await settle(checkout, { ok: true, payment });
}

export async function settle(checkout: Pick<PendingCheckout, 'checkoutId' | 'tabId' | 'frameId'>, result: { ok: true; payment: PagePayment } | { ok: false; error: { code: string; message: string } }): Promise<void> {
  // Sent, not waited for: a page that answers with alert() holds its reply until the user dismisses it,
  // and the window must not wait on that to show what happened. The tab may be gone; the relay's record
  // still shows what happened.
  void browser.tabs
    .sendMessage(checkout.tabId, { type: 'checkout.settled', checkoutId: checkout.checkoutId, result }, { frameId: checkout.frameId })
    .catch(() => undefined);
}

/** The confirmation window answered an intent: fetch the token and pay, or tell the page no; the window is told what came of it. */
export async function confirmationAnswered(intentId: string, decision: 'approve' | 'deny'): Promise<void> {
  const checkout = (await read('pending')).find((p) => p.intentId === intentId);
  if (!checkout) return; // already finished (a second message, or the worker restarted after finishing)
  const shown = { intentId, checkoutId: checkout.checkoutId, merchantName: checkout.confirmation.merchant.name, amount: checkout.confirmation.claims.amount };
  if (checkout.shape === 'remote-agent') {
    // An agent outside this browser fetches its own token once approved: nothing to hand over here.
    const approved = decision === 'approve';
    await recordOutcome({ ...shown, state: approved ? 'approved' : 'refused', sentence: approved ? APPROVED_SENTENCE : 'You rejected this payment; nothing was paid.' });
    return void (await dequeue(intentId));
  }
  try {
    const agent = await agentClient(checkout.actorId);
    if (decision === 'deny') {
      await reportProgress(agent, checkout.checkoutId, 'failed', 'you rejected this payment', intentId);
      await settle(checkout, { ok: false, error: { code: 'rejected', message: 'you rejected this payment; nothing was paid' } });
      await recordOutcome({ ...shown, state: 'refused', sentence: 'You rejected this payment; nothing was paid.' });
      return;
    }
    const intent = await agent.get<Intent>(`/v1/intents/${intentId}?waitSeconds=10`);
    if (intent.status === 'expired' || intent.status === 'denied') {
      const expired = intent.status === 'expired';
      await settle(checkout, { ok: false, error: { code: expired ? 'expired' : 'rejected', message: expired ? 'nobody answered in time, so this payment expired; nothing was paid' : 'this payment was rejected; nothing was paid' } });
      await recordOutcome({ ...shown, state: expired ? 'expired' : 'refused', sentence: expired ? EXPIRED_SENTENCE : 'This payment was rejected before your approval arrived; nothing was paid.' });
      return;
    }
    if (intent.status !== 'approved' || !intent.token) throw new CheckoutFailure(`intent_${intent.status}`, `the relay reports this payment as ${intent.status}; nothing was paid`);
    await deliver(checkout, intent);
    await recordOutcome({ ...shown, state: 'approved', sentence: APPROVED_SENTENCE });
    await reportProgress(agent, checkout.checkoutId, 'paid', `paid ${formatMoney(intent.amount)} after your approval`, intentId);
  } catch (error) {
    const relayUrl = await pairing().then((p) => p.relayUrl, () => undefined);
    const failure = describeFailure(error, relayUrl);
    await settle(checkout, { ok: false, error: failure });
    await recordOutcome({ ...shown, state: 'failed', sentence: failure.message });
  } finally {
    await dequeue(intentId);
  }
}

/** Rejects every held payment in `waiting` (the window closed, the user chose Reject all, or unpairing, saying so in `why`). */
export async function rejectAll(waiting: PendingCheckout[], why = 'the confirmation window was closed, so this payment was rejected; nothing was paid'): Promise<void> {
  const wallet = await walletClient().catch(() => null);
  const key = await loadKey(keyNames.wallet);
  for (const checkout of waiting) {
    const denied = wallet && key ? await deny(wallet, key, checkout).then(() => true, (error: { code?: string }) => error?.code !== 'intent_not_pending') : true;
    if (!denied) {
      // Approved just before the window closed: finish paying it rather than tell the page no.
      await confirmationAnswered(checkout.intentId, 'approve');
      continue;
    }
    await settle(checkout, { ok: false, error: { code: 'rejected', message: why } });
    await recordOutcome({
      intentId: checkout.intentId, checkoutId: checkout.checkoutId, merchantName: checkout.confirmation.merchant.name, amount: checkout.confirmation.claims.amount,
      state: 'refused', sentence: `${why[0]!.toUpperCase()}${why.slice(1)}.`,
    });
    await dequeue(checkout.intentId);
  }
}

async function deny(wallet: RelayHttpClient, key: CryptoKey, checkout: PendingCheckout): Promise<void> {
  const jws = await signCanonical({ ...checkout.confirmation.claims, decision: 'deny' }, key, wallet.signer!.id);
  await wallet.post(`/v1/intents/${checkout.intentId}/confirmation`, { jws }, { idempotencyKey: `answer-${checkout.intentId}` });
}

/** The relay client of the agent called `name`, if this browser already holds its key. */
async function knownAgentClient(name: string): Promise<{ actorId: string; client: RelayHttpClient } | undefined> {
  const actorId = (await read('agents'))[name]?.actorId;
  return actorId ? { actorId, client: await agentClient(actorId) } : undefined;
}
