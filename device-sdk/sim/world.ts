/**
 * What the simulator sets up at a running relay, as a user would: a wallet
 * paired with the pairing code, two merchants, and two devices the wallet
 * registers, each with a mandate.
 */
import { type Actor, generateSigningKey, type Intent, RelayHttpClient, signCanonical, type Wallet } from '@agentpay/protocol';
import type { DeviceIdentity } from '../src/connection/login.ts';
import { type SimMerchants, startMerchants } from './merchants.ts';

export interface SimWorld {
  wallet: RelayHttpClient;
  merchants: SimMerchants;
  cockpit: DeviceIdentity;
  earphones: DeviceIdentity;
  /** The user approves a held payment on the phone: the wallet signs exactly what it was shown. */
  approve(intentId: string): Promise<void>;
  close(): Promise<void>;
}

export async function setUpWorld(relayUrl: string, pairingCode: string, log: (line: string) => void): Promise<SimWorld> {
  const walletKey = await generateSigningKey();
  const record = await new RelayHttpClient(relayUrl, undefined)
    .as({ id: 'self', privateKey: walletKey.privateKey })
    .post<Wallet>('/v1/wallets', { name: 'Simulated driver', publicKey: walletKey.publicJwk, pairingCode });
  const signer = { id: record.id, privateKey: walletKey.privateKey };
  const wallet = new RelayHttpClient(relayUrl, undefined).as(signer);
  log(`   wallet    paired ${record.id}`);
  const merchants = await startMerchants(relayUrl, log);
  log(`   merchants ${merchants.parking.record.name} (${merchants.parking.record.id}), ${merchants.teaHouse.record.name} (${merchants.teaHouse.record.id})`);

  const mandate = (actorId: string, rules: unknown[]) =>
    signCanonical({ v: 1, walletId: record.id, actorId, issuedAt: new Date().toISOString(), kind: 'rules', rules }, walletKey.privateKey, record.id)
      .then((jws) => wallet.put(`/v1/wallet/actors/${actorId}/mandate`, { jws }));
  const device = async (name: string, profile: 'cockpit' | 'earphones', rules: unknown[]): Promise<DeviceIdentity> => {
    const key = await generateSigningKey();
    const actor = await wallet.post<Actor>('/v1/wallet/actors', { kind: 'device', name, publicKey: key.publicJwk, profile });
    await mandate(actor.id, rules);
    log(`   device    ${name} registered as ${actor.id} (${profile})`);
    return { deviceId: actor.id, privateKey: key.privateKey };
  };
  const cockpit = await device('Simulated car', 'cockpit', [{
    id: 'gates', description: 'parking and tolls under 50 CNY while driving', currency: 'CNY', maxPerPaymentMinor: 50_00,
    // The driver named their usual car park: a merchant never paid before is held by the relay's risk checks.
    merchants: { allow: [merchants.parking.record.id] }, categories: { allow: ['parking', 'tolls'] }, whileDriving: true,
  }]);
  const earphones = await device('Simulated earphones', 'earphones', [{
    id: 'tea', description: 'the tea house, up to 100 CNY, by voice', currency: 'CNY', maxPerPaymentMinor: 100_00,
    merchants: { allow: [merchants.teaHouse.record.id] }, channels: ['device-voice'],
  }]);
  log('   mandates  car: parking and tolls under 50 CNY while driving at Stadium Parking; earphones: the tea house up to 100 CNY by voice');

  return {
    wallet,
    merchants,
    cockpit,
    earphones,
    async approve(intentId) {
      const intent = await wallet.get<Intent>(`/v1/intents/${intentId}`);
      const claims = { type: 'agentpay.approval.v1', intentId, decision: 'approve', merchantId: intent.merchantId, amount: intent.amount, lineItems: intent.lineItems, category: intent.category };
      await wallet.post(`/v1/intents/${intentId}/confirmation`, { jws: await signCanonical(claims, walletKey.privateKey, record.id) });
    },
    close: () => merchants.close(),
  };
}
