import { type Money, stepUpChallenge, WalletSettings } from '@agentpay/protocol';
import { createPasskey, stepUp } from '../shared/passkey.ts';
import { walletClient } from '../shared/relay.ts';
import { read, update } from '../shared/state.ts';

/** The wallet as the relay holds it: its passkey (public parts) and step-up amounts. */
export async function loadWalletSettings(): Promise<WalletSettings> {
  return WalletSettings.parse(await (await walletClient()).get('/v1/wallet'));
}

/**
 * Makes a passkey on this device and registers it with the relay. The relay
 * answers before the browser remembers it, so the pairing never claims a
 * passkey the relay would not ask for.
 */
export async function addPasskey(): Promise<WalletSettings> {
  const pairing = await read('pairing');
  if (!pairing) throw new Error('this browser is not paired');
  const passkey = await createPasskey(pairing.walletName);
  const relay = await walletClient();
  const settings = await relay.put('/v1/wallet/passkey', { passkey }).then(
    (answer) => WalletSettings.parse(answer),
    async (error: unknown) => {
      // The relay did not take it: ask the authenticator to drop it, where the browser can, so no stray passkey stays.
      await forgetOnAuthenticator(passkey.rpId, passkey.credentialId);
      throw error;
    },
  );
  await update('pairing', (p) => (p ? { ...p, passkey: { credentialId: passkey.credentialId } } : p));
  return settings;
}

/**
 * Sets the amount in `amount.currency` from which approving needs the
 * passkey, keeping the other currencies' amounts. Once the wallet has a
 * passkey the relay wants its assertion over the new amounts, so an agent
 * driving this browser cannot raise them.
 */
export async function setStepUpAmount(amount: Money): Promise<WalletSettings> {
  const relay = await walletClient();
  const current = WalletSettings.parse(await relay.get('/v1/wallet'));
  const thresholds = [...current.stepUp.thresholds.filter((t) => t.currency !== amount.currency), amount].sort((a, b) => a.currency.localeCompare(b.currency));
  const assertion = current.passkey
    ? await stepUp(relay, current.passkey.credentialId, (challengeId) => stepUpChallenge(challengeId, current.id, thresholds))
    : undefined;
  return WalletSettings.parse(await relay.put('/v1/wallet/step-up', { thresholds, ...(assertion ? { assertion } : {}) }));
}

/** WebAuthn's signalUnknownCredential (Chrome 132 and later); elsewhere the passkey stays, unused. */
async function forgetOnAuthenticator(rpId: string, credentialId: string): Promise<void> {
  const signal = (PublicKeyCredential as { signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void> }).signalUnknownCredential;
  await signal?.call(PublicKeyCredential, { rpId, credentialId }).catch(() => undefined);
}
