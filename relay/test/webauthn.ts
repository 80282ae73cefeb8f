import type { PasskeyAssertion, PasskeyRegistration } from '@agentpay/protocol';
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface AssertionOptions {
  /** Defaults: what a real authenticator would put there. */
  type?: string;
  origin?: string;
  rpId?: string;
  /** Authenticator data flags; default UP | UV. */
  flags?: number;
  credentialId?: string;
  /** Sign with another key than the registered one. */
  privateKey?: KeyObject;
}

/**
 * A software authenticator for tests: a P-256 key made with node:crypto, and
 * assertions built byte for byte as a platform authenticator builds them
 * (authenticatorData = SHA-256(rpId) || flags || signCount; the signature is
 * DER ECDSA over authenticatorData || SHA-256(clientDataJSON)). The e2e tests
 * use Chromium's virtual authenticator instead.
 */
export function softAuthenticator(options: { rpId?: string; origin?: string } = {}) {
  const rpId = options.rpId ?? 'abcdefghijklmnopabcdefghijklmnop';
  const origin = options.origin ?? `chrome-extension://${rpId}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(16).toString('base64url');
  let signCount = 0;
  const passkey: PasskeyRegistration = {
    credentialId,
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
    algorithm: -7,
    rpId,
    origin,
  };

  function assert(challenge: string, overrides: AssertionOptions = {}): PasskeyAssertion {
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: overrides.type ?? 'webauthn.get', challenge, origin: overrides.origin ?? origin, crossOrigin: false }),
    );
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++signCount);
    const authenticatorData = Buffer.concat([
      createHash('sha256').update(overrides.rpId ?? rpId).digest(),
      Buffer.from([overrides.flags ?? 0x05]),
      counter,
    ]);
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, { key: overrides.privateKey ?? privateKey, dsaEncoding: 'der' });
    return {
      credentialId: overrides.credentialId ?? credentialId,
      authenticatorData: authenticatorData.toString('base64url'),
      clientDataJSON: clientDataJSON.toString('base64url'),
      signature: signature.toString('base64url'),
    };
  }

  return { passkey, assert };
}
