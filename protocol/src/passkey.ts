import * as z from 'zod';
import { text } from './text.ts';
import { canonicalize } from './canonical.ts';
import { Money } from './money.ts';
import { sha256Base64url } from './signatures.ts';

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True when `text` is the only spelling of its bytes in unpadded base64url: a
 * length that encodes whole bytes, and the unused low bits of the last
 * character zero. Lenient decoders read "…Q" and "…R" as the same bytes; a
 * relay that remembers what it has seen must not let one value pass as two.
 */
export function isCanonicalBase64url(text: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return false;
  const rest = text.length % 4;
  if (rest === 1) return false;
  const unusedBits = rest === 2 ? 0b1111 : rest === 3 ? 0b11 : 0;
  return text.length === 0 || (BASE64URL_ALPHABET.indexOf(text.at(-1)!) & unusedBits) === 0;
}

/** Bytes as unpadded, canonical base64url, the way WebAuthn values travel in JSON. */
export const Base64url = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be unpadded base64url')
  .refine(isCanonicalBase64url, 'must be canonical base64url (whole bytes, unused bits of the last character zero)');

/** COSE algorithm -7: ECDSA P-256 with SHA-256, the one every platform authenticator offers. */
export const ES256_COSE = -7;

/**
 * A passkey the wallet registers for step-up: the credential id, the public key
 * as base64url SPKI DER (AuthenticatorAttestationResponse.getPublicKey()), and
 * the relying party and origin its assertions must name.
 */
export const PasskeyRegistration = z
  .object({
    credentialId: Base64url,
    publicKey: Base64url,
    algorithm: z.literal(ES256_COSE, { error: 'passkey.algorithm must be -7 (ES256, ECDSA P-256); other algorithms are not accepted' }),
    rpId: text().min(1, 'passkey.rpId is required').max(253),
    /** Where the assertions are made, e.g. chrome-extension://<extension id>. */
    origin: text().min(1, 'passkey.origin is required').max(300),
  })
  .strict();
export type PasskeyRegistration = z.infer<typeof PasskeyRegistration>;

/** A WebAuthn assertion (AuthenticatorAssertionResponse) as the authenticator made it, every field base64url. */
export const WebAuthnAssertion = z
  .object({ credentialId: Base64url, authenticatorData: Base64url, clientDataJSON: Base64url, signature: Base64url })
  .strict();
export type WebAuthnAssertion = z.infer<typeof WebAuthnAssertion>;

/** A relay-issued step-up challenge's id: random, single-use, for one wallet. */
export const StepUpChallengeId = z.string().regex(/^stc_[0-9a-z]{32}$/, 'must be a challenge id from POST /v1/wallet/step-up/challenges');

/**
 * `POST /v1/wallet/step-up/challenges` answers this: a single-use challenge id
 * for this wallet, valid until `expiresAt` (a few minutes). Every step-up
 * assertion signs over a challenge derived from it and from what is approved.
 */
export const IssuedStepUpChallenge = z.object({ id: StepUpChallengeId, expiresAt: z.iso.datetime() }).strict();
export type IssuedStepUpChallenge = z.infer<typeof IssuedStepUpChallenge>;

/**
 * A step-up: the WebAuthn assertion and the relay-issued challenge id it was
 * made for. The relay accepts each challenge once, before it expires, from
 * the wallet it was issued to.
 */
export const PasskeyAssertion = WebAuthnAssertion.extend({ challengeId: StepUpChallengeId }).strict();
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/** Per currency, the amount from which approving a held intent needs the passkey. */
export const StepUpThresholds = z
  .array(Money)
  .max(50)
  .refine((list) => new Set(list.map((m) => m.currency)).size === list.length, 'thresholds: at most one per currency');

export const StepUpSettings = z.object({ thresholds: StepUpThresholds }).strict();
export type StepUpSettings = z.infer<typeof StepUpSettings>;

/** `PUT /v1/wallet/step-up`: needs an assertion over stepUpChallenge() once the wallet has a passkey. */
export const StepUpChange = z.object({ thresholds: StepUpThresholds, assertion: PasskeyAssertion.optional() }).strict();
export type StepUpChange = z.infer<typeof StepUpChange>;

/** `PUT /v1/wallet/passkey`: replacing a passkey needs an assertion by the current one over passkeyChallenge(). */
export const PasskeyChange = z.object({ passkey: PasskeyRegistration, assertion: PasskeyAssertion.optional() }).strict();
export type PasskeyChange = z.infer<typeof PasskeyChange>;

/**
 * The WebAuthn challenge for a step-up: base64url(SHA-256(canonical JSON of
 * the purpose, the relay-issued challenge id and what is approved)). Bound to
 * both, an assertion is good for one use of one thing.
 */
function derive(purpose: string, challengeId: string, what: Record<string, unknown>): Promise<string> {
  return sha256Base64url(canonicalize({ type: purpose, challengeId, ...what }));
}

/** The challenge for changing thresholds. */
export function stepUpChallenge(challengeId: string, walletId: string, thresholds: Money[]): Promise<string> {
  return derive('agentpay.step-up.v2', challengeId, { walletId, thresholds });
}

/** The challenge for replacing a passkey, asserted by the current one. */
export function passkeyChallenge(challengeId: string, walletId: string, passkey: PasskeyRegistration): Promise<string> {
  return derive('agentpay.passkey.v2', challengeId, { walletId, passkey });
}

/** The challenge for approving a held intent: the approval JWS the wallet signed. */
export function approvalChallenge(challengeId: string, jws: string): Promise<string> {
  return derive('agentpay.approval-step-up.v1', challengeId, { jws });
}

/** The challenge for setting a mandate: the mandate JWS the wallet signed. */
export function mandateChallenge(challengeId: string, jws: string): Promise<string> {
  return derive('agentpay.mandate-step-up.v1', challengeId, { jws });
}

/** The challenge for resuming a paused agent or device: it pays again at once, so only the person may. */
export function resumeChallenge(challengeId: string, walletId: string, actorId: string): Promise<string> {
  return derive('agentpay.resume-step-up.v1', challengeId, { walletId, actorId, status: 'active' });
}
