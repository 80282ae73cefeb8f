import { calculateJwkThumbprint } from 'jose';
import * as z from 'zod';
import { type PublicJwk, signCanonical } from './signatures.ts';

/**
 * Where a merchant proves that it sells at an origin: the relay fetches this
 * path on the origin and counts the origin only when the file holds a JWS,
 * signed by the merchant's registered key, naming that origin and that key.
 * A claimed origin that is not proven is kept but never trusted.
 */
export const MERCHANT_ORIGIN_PROOF_PATH = '/.well-known/agentpay-merchant.json';

/** What the merchant signs: this origin is mine, and my key is the one with this RFC 7638 thumbprint. */
export const MerchantOriginClaims = z
  .object({
    type: z.literal('agentpay.merchant-origin.v1'),
    /** scheme://host[:port], as a browser writes it. */
    origin: z.string(),
    /** RFC 7638 SHA-256 thumbprint of the merchant's public key, so one file cannot be reused by another merchant. */
    keyThumbprint: z.string(),
  })
  .strict();
export type MerchantOriginClaims = z.infer<typeof MerchantOriginClaims>;

/** The file served at MERCHANT_ORIGIN_PROOF_PATH. */
export const MerchantOriginProof = z.object({ jws: z.string().min(1) });
export type MerchantOriginProof = z.infer<typeof MerchantOriginProof>;

/** The relay's finding for one claimed origin. */
export const OriginCheck = z.object({
  origin: z.string(),
  proven: z.boolean(),
  /** Why it is not proven, e.g. "no proof at …", "signed by another key". */
  problem: z.string().optional(),
});
export type OriginCheck = z.infer<typeof OriginCheck>;

/** Signs the proof file a merchant serves on `origin` (scheme://host[:port]). */
export async function signOriginProof(origin: string, key: { privateKey: CryptoKey; publicJwk: PublicJwk }): Promise<MerchantOriginProof> {
  const claims: MerchantOriginClaims = {
    type: 'agentpay.merchant-origin.v1',
    origin: new URL(origin).origin,
    keyThumbprint: await calculateJwkThumbprint(key.publicJwk, 'sha256'),
  };
  return { jws: await signCanonical(claims, key.privateKey, claims.keyThumbprint) };
}
