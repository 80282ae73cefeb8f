import { generateSigningKey, type Money, RelayHttpClient, type Wallet } from '@agentpay/protocol';
import { keyNames, saveKey } from '../shared/keys.ts';
import { update, write } from '../shared/state.ts';
import { relayOrigin } from './pairing-errors.ts';
import { addPasskey } from './wallet-security.ts';

export interface PairingForm {
  relayUrl: string;
  pairingCode: string;
  walletName: string;
  /** Register a passkey and ask for it from this amount up; null for no passkey. */
  stepUp: Money | null;
  /** Told when the relay has accepted the code, before the passkey is asked for. */
  onPaired?: () => void;
}

/** What pairing did about the passkey: none asked, one added, or paired without one and why. */
export type PasskeyOutcome = { kind: 'not asked' } | { kind: 'added' } | { kind: 'failed'; error: unknown };

/**
 * Pairs this browser with a relay: a wallet key made here (non-extractable,
 * so it never leaves the browser) and the relay's pairing code to prove the
 * user may add a wallet to it. Only once the relay has accepted the code is
 * the passkey made and registered (PUT /v1/wallet/passkey): a wrong code
 * leaves nothing behind on the user's authenticator, and a passkey that
 * fails leaves the wallet paired without one, to be added later.
 */
export async function pair(form: PairingForm): Promise<PasskeyOutcome> {
  const relayUrl = relayOrigin(form.relayUrl);
  const { privateKey, publicJwk } = await generateSigningKey({ extractable: false });
  const relay = new RelayHttpClient(relayUrl, { id: 'new-wallet', privateKey });
  const wallet = await relay.post<Wallet>('/v1/wallets', {
    name: form.walletName,
    publicKey: publicJwk,
    pairingCode: form.pairingCode,
    // The amounts take effect once a passkey is registered, now or later.
    ...(form.stepUp ? { stepUp: { thresholds: [form.stepUp] } } : {}),
  });
  await saveKey(keyNames.wallet, privateKey);
  await write('agents', {});
  await update('settings', (settings) => ({ ...settings, lastRelayUrl: relayUrl }));
  await write('pairing', { relayUrl, walletId: wallet.id, walletName: wallet.name, passkey: null, pairedAt: new Date().toISOString() });
  if (!form.stepUp) return { kind: 'not asked' };
  form.onPaired?.();
  return addPasskey().then(
    (): PasskeyOutcome => ({ kind: 'added' }),
    (error: unknown): PasskeyOutcome => ({ kind: 'failed', error }),
  );
}
