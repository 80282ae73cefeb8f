import type { PasskeyRegistration, WebAuthnAssertion } from '@agentpay/protocol';
import { isCanonicalBase64url } from '@agentpay/protocol';
import { p256 } from '@noble/curves/nist.js';
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';

/** WebAuthn authenticator data flags (https://www.w3.org/TR/webauthn-3/#flags). */
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
/** rpIdHash (32 bytes), flags (1), signCount (4). */
const AUTH_DATA_MIN = 37;

/**
 * A verified assertion carries its fingerprint: SHA-256 over the decoded
 * authenticatorData and clientDataJSON and the signature as (r, low s). Every
 * spelling of one assertion has the same fingerprint, so remembering it
 * refuses the assertion a second time however it is re-encoded.
 */
export type AssertionCheck = { ok: true; fingerprint: string } | { ok: false; reason: string };

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/** The bytes of a base64url field, or undefined unless it is their one canonical spelling. */
function strictBytes(text: string): Buffer | undefined {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : undefined;
}

/** ECDSA's (r, s) and (r, n − s) are both valid: the fingerprint keeps the low one. */
function lowS(s: bigint): bigint {
  const n = p256.Point.Fn.ORDER;
  return s > n >> 1n ? n - s : s;
}

function fingerprintOf(authData: Buffer, clientDataBytes: Buffer, r: bigint, s: bigint): string {
  const scalar = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
  const framed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  };
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from('agentpay.assertion.v1\0'), ...framed(authData), ...framed(clientDataBytes), scalar(r), scalar(lowS(s))]))
    .digest('base64url');
}

/**
 * Checks a WebAuthn assertion against the wallet's registered passkey, the
 * way a relying party must (WebAuthn §7.2): the credential, the client data's
 * type, challenge and origin, the rpId hash, user presence and user
 * verification, and the ES256 signature over authenticatorData ||
 * SHA-256(clientDataJSON), all on the exact decoded bytes (each field must be
 * canonical base64url, the signature strict DER). Pure apart from hashing, so
 * it is tested by table.
 */
export function verifyAssertion(passkey: PasskeyRegistration, assertion: WebAuthnAssertion, expectedChallenge: string): AssertionCheck {
  const fail = (reason: string): AssertionCheck => ({ ok: false, reason });
  if (assertion.credentialId !== passkey.credentialId) {
    return fail(`the assertion is by credential ${assertion.credentialId}, not the wallet's passkey ${passkey.credentialId}`);
  }

  const clientDataBytes = strictBytes(assertion.clientDataJSON);
  const authData = strictBytes(assertion.authenticatorData);
  const signatureBytes = strictBytes(assertion.signature);
  if (!clientDataBytes || !authData || !signatureBytes) return fail('the assertion is not canonical base64url');
  let clientData: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
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
  if (clientData.crossOrigin === true) return fail('the assertion was made in a cross-origin frame (clientDataJSON.crossOrigin is true)');

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
  let signature: InstanceType<typeof p256.Signature>;
  try {
    signature = p256.Signature.fromBytes(signatureBytes, 'der');
  } catch {
    return fail('the signature is not a DER-encoded ECDSA signature');
  }
  const signed = Buffer.concat([authData, sha256(clientDataBytes)]);
  let valid = false;
  try {
    valid = verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature.toBytes('compact'));
  } catch {
    valid = false;
  }
  if (!valid) return fail("the signature does not verify with the wallet's passkey");
  return { ok: true, fingerprint: fingerprintOf(authData, clientDataBytes, signature.r, signature.s) };
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
