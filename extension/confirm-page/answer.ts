import { approvalChallenge, ProtocolError, signCanonical } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { keyNames, loadKey } from '../shared/keys.ts';
import { stepUp } from '../shared/passkey.ts';
import { pairing, walletClient } from '../shared/relay.ts';
import type { PendingCheckout } from '../shared/state.ts';

/**
 * Answers a held payment at the relay, signed by the wallet key over exactly
 * what the window showed; above the step-up amount, with the passkey too.
 * Then the background finishes the checkout (fills the card, sends the token).
 */
export async function answer(checkout: PendingCheckout, decision: 'approve' | 'deny'): Promise<void> {
  const { walletId, passkey } = await pairing();
  const key = await loadKey(keyNames.wallet);
  if (!key) throw new Error('this browser no longer holds the wallet key; pair again in the options page');
  const jws = await signCanonical({ ...checkout.confirmation.claims, decision }, key, walletId);
  const relay = await walletClient();
  let assertion;
  if (decision === 'approve' && checkout.confirmation.stepUp) {
    if (!passkey) throw new Error('this payment needs your passkey, but none is registered in this browser');
    assertion = await stepUp(relay, passkey.credentialId, (challengeId) => approvalChallenge(challengeId, jws));
  }
  try {
    await relay.post(`/v1/intents/${checkout.intentId}/confirmation`, { jws, ...(assertion ? { passkey: assertion } : {}) }, { idempotencyKey: `answer-${checkout.intentId}-${decision}` });
  } catch (error) {
    // Expired, or answered elsewhere: the background reads the intent's state and finishes the checkout
    // either way (pays it if it was approved, tells the page no otherwise).
    if (error instanceof ProtocolError && ['intent_not_pending', 'confirmation_expired'].includes(error.code)) {
      await browser.runtime.sendMessage({ type: 'confirmation.answered', intentId: checkout.intentId, decision: 'approve' });
    }
    throw error;
  }
  await browser.runtime.sendMessage({ type: 'confirmation.answered', intentId: checkout.intentId, decision });
}
