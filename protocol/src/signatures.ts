import { CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import * as z from 'zod';
import { canonicalize } from './canonical.ts';

/** A P-256 public key as JWK: what every wallet, agent, device and merchant registers. */
export const PublicJwk = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x must be a base64url P-256 coordinate'),
    y: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'y must be a base64url P-256 coordinate'),
  })
  .loose()
  .refine((jwk) => !('d' in jwk), 'a public key must not contain the private part "d"')
  .transform(({ kty, crv, x, y }) => ({ kty, crv, x, y }));
export type PublicJwk = z.output<typeof PublicJwk>;

export const ALG = 'ES256';

/** A fresh ES256 key pair. Wallets keep theirs non-extractable; tests and demos may export. */
export async function generateSigningKey(options: { extractable?: boolean } = {}): Promise<{
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: options.extractable ?? false });
  const jwk = await exportJWK(publicKey);
  return { privateKey, publicJwk: PublicJwk.parse(jwk) };
}

const keyCache = new Map<string, Promise<CryptoKey | Uint8Array>>();

/** Imports (and remembers) a registered public key for verification. */
export function importPublicJwk(jwk: PublicJwk): Promise<CryptoKey | Uint8Array> {
  const cacheKey = `${jwk.x}.${jwk.y}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = importJWK({ ...jwk, alg: ALG }, ALG) as Promise<CryptoKey | Uint8Array>;
    key.catch(() => keyCache.delete(cacheKey));
    keyCache.set(cacheKey, key);
  }
  return key;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Signs `payload` as compact JWS (ES256) whose payload bytes are its canonical JSON. */
export async function signCanonical(payload: unknown, privateKey: CryptoKey, kid: string): Promise<string> {
  return new CompactSign(encoder.encode(canonicalize(payload)))
    .setProtectedHeader({ alg: ALG, kid })
    .sign(privateKey);
}

/** The `kid` a JWS claims, read before verification to find the key to verify with. */
export function jwsKeyId(jws: string): string | undefined {
  try {
    const header = decodeProtectedHeader(jws);
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

export class SignatureError extends Error {
  override name = 'SignatureError';
}

/**
 * Verifies an ES256 compact JWS and returns its payload. The payload must be
 * canonical JSON, so one approval can never be read two ways.
 */
export async function verifyCanonical(jws: string, publicJwk: PublicJwk): Promise<{ payload: unknown; kid?: string }> {
  let result;
  try {
    result = await compactVerify(jws, await importPublicJwk(publicJwk), { algorithms: [ALG] });
  } catch (cause) {
    throw new SignatureError(`signature does not verify: ${(cause as Error).message}`);
  }
  const text = decoder.decode(result.payload);
  // Checked before parsing: canonicalising (and every reader after it) walks the payload recursively.
  if (nestingDepth(text) > MAX_PAYLOAD_DEPTH) throw new SignatureError(`signed payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new SignatureError('signed payload is not JSON');
  }
  if (canonicalize(payload) !== text) throw new SignatureError('signed payload is not canonical JSON (RFC 8785)');
  return { payload, kid: result.protectedHeader.kid };
}

/** Deeper than any document of the protocol (a mandate's rules are about five levels down). */
export const MAX_PAYLOAD_DEPTH = 32;

/** How deep the arrays and objects of a JSON text nest, counting brackets outside strings, without recursion. */
export function nestingDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** SHA-256 as base64url, used to bind a request signature to the request body. */
export async function sha256Base64url(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
