import {
  type Actor, type Merchant, RelayHttpClient, type Wallet, generateSigningKey, signCanonical,
} from '@agentpay/protocol';
import type { Party } from './harness.ts';

/**
 * A wallet, an agent with a 1,000.00 CNY monthly budget at the merchant, a device and a merchant, on a
 * relay running in another process (setUpParties needs the relay object of this one).
 */
export async function partiesAt(relayUrl: string, pairingCode: string) {
  const anon = new RelayHttpClient(relayUrl, undefined);
  const walletKey = await generateSigningKey();
  const walletRecord = await anon.as({ id: 'self', privateKey: walletKey.privateKey })
    .post<Wallet>('/v1/wallets', { name: 'Alice', publicKey: walletKey.publicJwk, pairingCode });
  const wallet = anon.as({ id: walletRecord.id, privateKey: walletKey.privateKey });
  const merchantKey = await generateSigningKey();
  const merchantRecord = await anon.as({ id: 'self', privateKey: merchantKey.privateKey })
    .post<Merchant>('/v1/merchants', { name: 'Corner Tea House', publicKey: merchantKey.publicJwk, origins: ['http://127.0.0.1:9'] });
  const merchant = anon.as({ id: merchantRecord.id, privateKey: merchantKey.privateKey });
  const actor = async (kind: 'agent' | 'device') => {
    const key = await generateSigningKey();
    const record = await wallet.post<Actor>('/v1/wallet/actors', { kind, name: kind === 'agent' ? 'Tea buyer' : 'Car', publicKey: key.publicJwk, ...(kind === 'device' ? { profile: 'cockpit' } : {}) });
    return { record, signer: { id: record.id, privateKey: key.privateKey }, client: anon.as({ id: record.id, privateKey: key.privateKey }) };
  };
  const agent = await actor('agent');
  const document = {
    v: 1, walletId: walletRecord.id, actorId: agent.record.id, issuedAt: new Date().toISOString(),
    kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [merchantRecord.id],
  };
  await wallet.put(`/v1/wallet/actors/${agent.record.id}/mandate`, { jws: await signCanonical(document, walletKey.privateKey, walletRecord.id) });
  const walletParty: Party<Wallet> = { signer: { id: walletRecord.id, privateKey: walletKey.privateKey }, client: wallet, record: walletRecord };
  return { wallet, walletParty, merchant, merchantId: merchantRecord.id, agent, device: await actor('device') };
}
