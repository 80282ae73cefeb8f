import { RelayHttpClient } from '@agentpay/protocol';
import { keyNames, loadKey } from './keys.ts';
import { type Pairing, read } from './state.ts';

export class NotPairedError extends Error {
  readonly code = 'not_paired';
  constructor() {
    super('AgentPay is not paired with a relay yet: open its options page and enter the relay URL and pairing code');
  }
}

export async function pairing(): Promise<Pairing> {
  const value = await read('pairing');
  if (!value) throw new NotPairedError();
  return value;
}

/** The relay, signing as the user's wallet. */
export async function walletClient(): Promise<RelayHttpClient> {
  const { relayUrl, walletId } = await pairing();
  const privateKey = await loadKey(keyNames.wallet);
  if (!privateKey) throw new NotPairedError();
  return new RelayHttpClient(relayUrl, { id: walletId, privateKey });
}

/** The relay, signing as one of the browser agents this extension holds keys for. */
export async function agentClient(actorId: string): Promise<RelayHttpClient> {
  const { relayUrl } = await pairing();
  const privateKey = await loadKey(keyNames.agent(actorId));
  if (!privateKey) throw new Error(`this browser holds no key for agent ${actorId}`);
  return new RelayHttpClient(relayUrl, { id: actorId, privateKey });
}
