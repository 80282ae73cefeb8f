import type { IssuedStepUpChallenge, PasskeyAssertion, PasskeyRegistration, RelayHttpClient, WebAuthnAssertion } from '@agentpay/protocol';
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';

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
  /** clientDataJSON.crossOrigin: true when made in a frame of another origin. */
  crossOrigin?: boolean;
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

  function assert(challenge: string, overrides: AssertionOptions = {}): WebAuthnAssertion {
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: overrides.type ?? 'webauthn.get', challenge, origin: overrides.origin ?? origin, crossOrigin: overrides.crossOrigin ?? false }),
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

  /** Asserts over what `derive` makes of the relay-issued challenge id, as a step-up carries it. */
  async function assertOver(challengeId: string, derive: (challengeId: string) => Promise<string>, overrides: AssertionOptions = {}): Promise<PasskeyAssertion> {
    return { challengeId, ...assert(await derive(challengeId), overrides) };
  }

  /** The whole step-up as a wallet does it: a fresh challenge from the relay, then the assertion over it. */
  async function stepUp(wallet: RelayHttpClient, derive: (challengeId: string) => Promise<string>, overrides: AssertionOptions = {}): Promise<PasskeyAssertion> {
    const { id } = await wallet.post<IssuedStepUpChallenge>('/v1/wallet/step-up/challenges', {});
    return assertOver(id, derive, overrides);
  }

  return { passkey, assert, assertOver, stepUp };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes spelled differently: sets an unused low bit of the last
 * base64url character (there is one whenever the length is not a multiple of
 * three bytes). Lenient decoders read the same bytes back.
 */
export function reencoded(text: string): string {
  const unusedBits = [0, 0, 4, 2][text.length % 4]!;
  if (unusedBits === 0) throw new Error(`"${text.slice(0, 8)}…" has no unused bits to set`);
  const last = BASE64URL.indexOf(text.at(-1)!);
  return text.slice(0, -1) + BASE64URL[last | 1];
}

/** The ECDSA signature's twin (r, n − s): as valid as the original, different bytes. */
export function otherS(signatureBase64url: string): string {
  const signature = p256.Signature.fromBytes(Buffer.from(signatureBase64url, 'base64url'), 'der');
  const twin = new p256.Signature(signature.r, p256.Point.Fn.ORDER - signature.s);
  return Buffer.from(twin.toBytes('der')).toString('base64url');
}
