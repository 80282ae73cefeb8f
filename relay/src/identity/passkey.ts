import type { PasskeyAssertion, PasskeyRegistration } from '@agentpay/protocol';
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';

/** WebAuthn authenticator data flags (https://www.w3.org/TR/webauthn-3/#flags). */
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
/** rpIdHash (32 bytes), flags (1), signCount (4). */
const AUTH_DATA_MIN = 37;

export type AssertionCheck = { ok: true } | { ok: false; reason: string };

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/**
 * Checks a WebAuthn assertion against the wallet's registered passkey, the
 * way a relying party must (WebAuthn §7.2): the credential, the client data's
 * type, challenge and origin, the rpId hash, user presence and user
 * verification, and the ES256 signature over authenticatorData ||
 * SHA-256(clientDataJSON). Pure apart from hashing, so it is tested by table.
 */
export function verifyAssertion(passkey: PasskeyRegistration, assertion: PasskeyAssertion, expectedChallenge: string): AssertionCheck {
  const fail = (reason: string): AssertionCheck => ({ ok: false, reason });
  if (assertion.credentialId !== passkey.credentialId) {
    return fail(`the assertion is by credential ${assertion.credentialId}, not the wallet's passkey ${passkey.credentialId}`);
  }

  const clientDataBytes = Buffer.from(assertion.clientDataJSON, 'base64url');
  let clientData: { type?: unknown; challenge?: unknown; origin?: unknown };
  try {
    clientData = JSON.parse(clientDataBytes.toString('utf8')) as typeof clientData;
  } catch {
    return fail('clientDataJSON is not JSON');
  }
  if (clientData.type !== 'webauthn.get') return fail(`clientDataJSON.type is ${JSON.stringify(clientData.type)}, not "webauthn.get"`);
  if (clientData.challenge !== expectedChallenge) {
    return fail(`clientDataJSON.challenge is ${JSON.stringify(clientData.challenge)}, not ${expectedChallenge}, the hash of what is being approved`);
  }
  if (clientData.origin !== passkey.origin) {
    return fail(`clientDataJSON.origin is ${JSON.stringify(clientData.origin)}, not the registered ${passkey.origin}`);
  }

  const authData = Buffer.from(assertion.authenticatorData, 'base64url');
  if (authData.length < AUTH_DATA_MIN) return fail(`authenticatorData is ${authData.length} bytes, shorter than ${AUTH_DATA_MIN}`);
  if (!authData.subarray(0, 32).equals(sha256(passkey.rpId))) return fail(`authenticatorData's rpIdHash is not SHA-256 of "${passkey.rpId}"`);
  const flags = authData[32]!;
  if (!(flags & USER_PRESENT)) return fail('the authenticator did not see the user present (flag UP not set)');
  if (!(flags & USER_VERIFIED)) return fail('the authenticator did not verify the user (flag UV not set): a PIN or biometric is needed');

  let key: KeyObject;
  try {
    key = passkeyPublicKey(passkey.publicKey);
  } catch (error) {
    return fail((error as Error).message);
  }
  const signed = Buffer.concat([authData, sha256(clientDataBytes)]);
  let valid = false;
  try {
    valid = verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(assertion.signature, 'base64url'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : fail("the signature does not verify with the wallet's passkey");
}

/** The registered key as a node KeyObject; throws, naming the problem, unless it is a P-256 SPKI. */
export function passkeyPublicKey(spkiBase64url: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiBase64url, 'base64url'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('passkey.publicKey is not a DER SubjectPublicKeyInfo (base64url of getPublicKey())');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`passkey.publicKey is a ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''} key, not P-256 (ES256)`);
  }
  return key;
}
