import * as z from 'zod';
import { text } from './text.ts';
import { canonicalize } from './canonical.ts';
import { Money } from './money.ts';
import { sha256Base64url } from './signatures.ts';

/** Bytes as unpadded base64url, the way WebAuthn values travel in JSON. */
export const Base64url = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_-]+$/, 'must be unpadded base64url');

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

/** A WebAuthn assertion (AuthenticatorAssertionResponse), every field base64url. */
export const PasskeyAssertion = z
  .object({ credentialId: Base64url, authenticatorData: Base64url, clientDataJSON: Base64url, signature: Base64url })
  .strict();
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

/** The challenge for changing thresholds: base64url(SHA-256(canonical JSON)). */
export function stepUpChallenge(walletId: string, thresholds: Money[]): Promise<string> {
  return sha256Base64url(canonicalize({ type: 'agentpay.step-up.v1', walletId, thresholds }));
}

/** The challenge for replacing a passkey, asserted by the current one. */
export function passkeyChallenge(walletId: string, passkey: PasskeyRegistration): Promise<string> {
  return sha256Base64url(canonicalize({ type: 'agentpay.passkey.v1', walletId, passkey }));
}

/** The challenge for approving a held intent: the approval JWS itself, hashed. */
export function approvalChallenge(jws: string): Promise<string> {
  return sha256Base64url(jws);
}
