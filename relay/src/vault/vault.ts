import { createHmac, randomBytes } from 'node:crypto';

/**
 * Token secrets are derived from the token id with a key that lives outside
 * the database, and only a keyed hash of the secret is stored. A stolen
 * database therefore yields no usable token, and the relay can still hand
 * the same secret back on an idempotent replay without ever storing it.
 */
export interface Vault {
  secretFor(tokenId: string): string;
  hash(secret: string): string;
  /** Removes token secrets from an answer before it is stored for replay. */
  redact(body: unknown): unknown;
  /** Puts the secrets back into a stored answer. */
  reveal(body: unknown): unknown;
}

interface WithToken {
  token?: { id: string; secret?: string };
}

export function createVault(key: Buffer): Vault {
  if (key.length < 32) throw new Error('the vault key must be at least 32 bytes');
  const mac = (label: string, data: string) =>
    createHmac('sha256', key).update(label).update('\0').update(data).digest('base64url');
  const secretFor = (tokenId: string) => `tks_${mac('token-secret', tokenId)}`;
  const hasToken = (body: unknown): body is WithToken =>
    typeof body === 'object' && body !== null && typeof (body as WithToken).token?.id === 'string';

  return {
    secretFor,
    hash: (secret) => mac('token-hash', secret),
    redact: (body) => (hasToken(body) ? { ...body, token: { ...body.token, secret: undefined } } : body),
    reveal: (body) => (hasToken(body) ? { ...body, token: { ...body.token, secret: secretFor(body.token!.id) } } : body),
  };
}

export function newVaultKey(): string {
  return randomBytes(32).toString('base64url');
}
