import { generateSigningKey, type Money, RelayHttpClient, type Wallet } from '@agentpay/protocol';
import { keyNames, saveKey } from '../shared/keys.ts';
import { createPasskey } from '../shared/passkey.ts';
import { write } from '../shared/state.ts';

export interface PairingForm {
  relayUrl: string;
  pairingCode: string;
  walletName: string;
  /** Register a passkey and ask for it from this amount up; null for no passkey. */
  stepUp: Money | null;
}

/**
 * Pairs this browser with a relay: a wallet key made here (non-extractable,
 * so it never leaves the browser), an optional passkey for step-up, and the
 * relay's pairing code to prove the user may add a wallet to it.
 */
export async function pair(form: PairingForm): Promise<void> {
  const relayUrl = new URL(form.relayUrl).origin;
  const { privateKey, publicJwk } = await generateSigningKey({ extractable: false });
  const passkey = form.stepUp ? await createPasskey(form.walletName) : undefined;
  const relay = new RelayHttpClient(relayUrl, { id: 'new-wallet', privateKey });
  const wallet = await relay.post<Wallet>('/v1/wallets', {
    name: form.walletName,
    publicKey: publicJwk,
    pairingCode: form.pairingCode.trim(),
    ...(passkey && form.stepUp ? { passkey, stepUp: { thresholds: [form.stepUp] } } : {}),
  });
  await saveKey(keyNames.wallet, privateKey);
  await write('agents', {});
  await write('pairing', {
    relayUrl,
    walletId: wallet.id,
    walletName: wallet.name,
    passkey: passkey ? { credentialId: passkey.credentialId } : null,
    pairedAt: new Date().toISOString(),
  });
}
