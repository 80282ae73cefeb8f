/**
 * The user's passkey, asked for above the step-up amount. WebAuthn with user
 * verification is what an agent driving the browser cannot fake: it needs the
 * person's fingerprint, face or PIN, and the relay checks the assertion.
 */
import { IssuedStepUpChallenge, type PasskeyAssertion, type WebAuthnAssertion } from '@agentpay/protocol';

const b64url = (bytes: ArrayBuffer | Uint8Array): string => {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromB64url = (text: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

export interface PasskeyRegistration {
  credentialId: string;
  publicKey: string;
  algorithm: -7;
  rpId: string;
  origin: string;
}

/** Creates a passkey for this wallet on this extension's origin. */
export async function createPasskey(walletName: string): Promise<PasskeyRegistration> {
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { name: 'AgentPay wallet' },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: walletName, displayName: walletName },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
      attestation: 'none',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error('no passkey was created');
  const response = credential.response as AuthenticatorAttestationResponse;
  const publicKey = response.getPublicKey();
  if (!publicKey || response.getPublicKeyAlgorithm() !== -7) throw new Error('this authenticator did not offer an ES256 (P-256) passkey');
  return { credentialId: b64url(credential.rawId), publicKey: b64url(publicKey), algorithm: -7, rpId: await rpIdOf(response), origin: location.origin };
}

/**
 * The relying party id the browser used. On an extension page it is not a
 * web domain, and browsers differ in what they take (the extension id, or the
 * whole origin), so it is read back from the authenticator data's rpIdHash.
 */
async function rpIdOf(response: AuthenticatorAttestationResponse): Promise<string> {
  const rpIdHash = b64url(new Uint8Array(response.getAuthenticatorData()).slice(0, 32));
  for (const candidate of [location.hostname, location.origin, location.host]) {
    const hash = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(candidate)));
    if (hash === rpIdHash) return candidate;
  }
  throw new Error('the passkey was made for a relying party this page cannot name');
}

/**
 * A step-up as the relay takes it: a fresh single-use challenge from the relay
 * (valid a few minutes, for this wallet), then the passkey over what `derive`
 * makes of it and of what is approved (approvalChallenge, mandateChallenge, …
 * from @agentpay/protocol). An assertion made so is good for one use only.
 */
export async function stepUp(
  relay: { post(path: string, body: unknown): Promise<unknown> },
  credentialId: string,
  derive: (challengeId: string) => Promise<string>,
): Promise<PasskeyAssertion> {
  const { id } = IssuedStepUpChallenge.parse(await relay.post('/v1/wallet/step-up/challenges', {}));
  return { challengeId: id, ...(await assertPasskey(credentialId, await derive(id))) };
}

/** Asks for the passkey over `challenge` (base64url bytes), with user verification. */
export async function assertPasskey(credentialId: string, challenge: string): Promise<WebAuthnAssertion> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: fromB64url(challenge),
      allowCredentials: [{ type: 'public-key', id: fromB64url(credentialId) }],
      userVerification: 'required',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error('the passkey was not used');
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    credentialId: b64url(credential.rawId),
    authenticatorData: b64url(response.authenticatorData),
    clientDataJSON: b64url(response.clientDataJSON),
    signature: b64url(response.signature),
  };
}
