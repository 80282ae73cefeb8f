import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import type { RelayContext } from '../context.ts';

/** PKCS #8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  /** Public half as the directory publishes it, with its RFC 7638 thumbprint as `kid`. */
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
  sign(data: Uint8Array): Uint8Array;
}

const keys = new WeakMap<object, SigningKey>();

/**
 * The relay's Web Bot Auth key. Its seed is derived from the vault key, so it survives restarts
 * and is the same on every relay sharing a database (they share the vault key), with nothing more
 * to keep secret.
 */
export function agentSigningKey(ctx: Pick<RelayContext, 'vault'>): SigningKey {
  const known = keys.get(ctx.vault);
  if (known) return known;
  const seed = Buffer.from(ctx.vault.hash('web-bot-auth ed25519 seed'), 'base64url');
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const key: SigningKey = {
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprint(x) },
    sign: (data) => new Uint8Array(sign(null, data, privateKey)),
  };
  keys.set(ctx.vault, key);
  return key;
}

/** RFC 7638 thumbprint of an Ed25519 JWK: SHA-256 of `{"crv","kty","x"}` in that order, base64url. */
function thumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}
