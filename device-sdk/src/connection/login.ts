import { MQTT_CONNECT_AUDIENCE, randomString, signCanonical } from '@agentpay/protocol';

/** The device's identity: the id the wallet registered and the private key only the device holds. */
export interface DeviceIdentity {
  /** `dev_…`, from the wallet's registration of the device's public key. */
  deviceId: string;
  /** ES256 private key (WebCrypto). Keep it non-extractable in the device's secure storage. */
  privateKey: CryptoKey;
}

/**
 * How the device logs in to the broker:
 * - `'signed'`: user name = device id, password = a fresh signature for each
 *   connection (the relay's embedded broker, or an external one with an auth
 *   plugin that checks it);
 * - `{ username, password }`: what the operator of an external broker issued;
 * - `'anonymous'`: no credentials (a broker open to anyone; tests only).
 */
export type BrokerLogin = 'signed' | 'anonymous' | { username: string; password: string };

/** The credentials for one connection attempt; a signed password is never reused. */
export async function credentialsFor(login: BrokerLogin, identity: DeviceIdentity, now: number): Promise<{ username?: string; password?: string }> {
  if (login === 'anonymous') return {};
  if (login !== 'signed') return { username: login.username, password: login.password };
  const password = await signCanonical({ aud: MQTT_CONNECT_AUDIENCE, ts: now, nonce: randomString(24) }, identity.privateKey, identity.deviceId);
  return { username: identity.deviceId, password };
}
