import { approvalChallenge, ProtocolError, signCanonical } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { CheckoutFailure, describeFailure } from '../background/failure.ts';
import { keyNames, loadKey } from '../shared/keys.ts';
import { stepUp } from '../shared/passkey.ts';
import { pairing, walletClient } from '../shared/relay.ts';
import type { PendingCheckout } from '../shared/state.ts';

/**
 * Answers a held payment at the relay, signed by the wallet key over exactly
 * what the window showed; above the step-up amount, with the passkey too.
 * Then the background finishes the checkout (fills the card, sends the token).
 * An approval nobody could use is never sent: not once the time ran out, and
 * not when the checkout's tab is gone.
 */
export async function answer(checkout: PendingCheckout, decision: 'approve' | 'deny'): Promise<void> {
  if (decision === 'approve') {
    if (Date.parse(checkout.confirmation.expiresAt) <= Date.now()) {
      await browser.runtime.sendMessage({ type: 'request.expired', intentId: checkout.intentId }).catch(() => undefined);
      throw new CheckoutFailure('confirmation_expired', 'expired');
    }
    // An agent outside this browser (tabId -1) has no tab here; browsers throw at once for a negative id.
    const tabGone = checkout.shape !== 'remote-agent' && !(await Promise.resolve().then(() => browser.tabs.get(checkout.tabId)).then((tab) => !!tab, () => false));
    if (tabGone) throw new CheckoutFailure('tab_closed', 'the checkout tab is gone');
  }
  const { walletId, passkey } = await pairing();
  const key = await loadKey(keyNames.wallet);
  if (!key) throw new CheckoutFailure('wallet_key_missing', 'no wallet key');
  const jws = await signCanonical({ ...checkout.confirmation.claims, decision }, key, walletId);
  const relay = await walletClient();
  let assertion;
  if (decision === 'approve' && checkout.confirmation.stepUp) {
    if (!passkey) throw new CheckoutFailure('passkey_missing', 'no passkey');
    assertion = await stepUp(relay, passkey.credentialId, (challengeId) => approvalChallenge(challengeId, jws)).catch((error: unknown) => {
      // The person dismissed the passkey prompt, or it timed out: nothing was approved.
      if (error instanceof DOMException && error.name === 'NotAllowedError') throw new CheckoutFailure('passkey_cancelled', error.message);
      throw error;
    });
  }
  try {
    await relay.post(`/v1/intents/${checkout.intentId}/confirmation`, { jws, ...(assertion ? { passkey: assertion } : {}) }, { idempotencyKey: `answer-${checkout.intentId}-${decision}` });
  } catch (error) {
    // Expired, or answered elsewhere: the background reads the intent's state and finishes the checkout
    // either way (pays it if it was approved, tells the page no otherwise), and the window shows what came of it.
    if (error instanceof ProtocolError && ['intent_not_pending', 'confirmation_expired'].includes(error.code)) {
      await browser.runtime.sendMessage({ type: 'confirmation.answered', intentId: checkout.intentId, decision: 'approve' });
    }
    throw error;
  }
  await browser.runtime.sendMessage({ type: 'confirmation.answered', intentId: checkout.intentId, decision });
}

/** What the window says when answering failed: what happened, whether anything was paid, what to do. */
export async function explain(cause: unknown): Promise<string> {
  const relayUrl = await pairing().then((p) => p.relayUrl, () => undefined);
  return describeFailure(cause, relayUrl).message;
}
