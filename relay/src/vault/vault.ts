import { createHmac, randomBytes } from 'node:crypto';

/**
 * Token secrets are derived from the token id with a key that lives outside
 * the database, and only a keyed hash of the secret is stored. A stolen
 * database therefore yields no usable token, and the relay can still hand
 * the same secret back on an idempotent replay without ever storing it.
 */
export interface Vault {
  secretFor(tokenId: string): string;
  /** The three-digit CVC of the token's card form, derived the same way and never stored. */
  cvcFor(tokenId: string): string;
  hash(secret: string): string;
  /** Removes token secrets (and the card's CVC) from an answer before it is stored for replay. */
  redact(body: unknown): unknown;
  /** Puts the secrets back into a stored answer. */
  reveal(body: unknown): unknown;
}

interface WithToken {
  token?: { id: string; secret?: string; card?: { cvc?: string } };
}

export function createVault(key: Buffer): Vault {
  if (key.length < 32) throw new Error('the vault key must be at least 32 bytes');
  const mac = (label: string, data: string) =>
    createHmac('sha256', key).update(label).update('\0').update(data).digest('base64url');
  const secretFor = (tokenId: string) => `tks_${mac('token-secret', tokenId)}`;
  // 6 bytes of the MAC as a number mod 1000: the bias (under 1e-11) does not matter.
  const cvcFor = (tokenId: string) =>
    String(Buffer.from(mac('card-cvc', tokenId), 'base64url').readUIntBE(0, 6) % 1000).padStart(3, '0');
  const withCard = (token: NonNullable<WithToken['token']>, cvc: string | undefined) =>
    token.card ? { card: { ...token.card, cvc } } : {};
  const hasToken = (body: unknown): body is WithToken =>
    typeof body === 'object' && body !== null && typeof (body as WithToken).token?.id === 'string';

  return {
    secretFor,
    cvcFor,
    hash: (secret) => mac('token-hash', secret),
    redact: (body) =>
      hasToken(body) ? { ...body, token: { ...body.token, secret: undefined, ...withCard(body.token!, undefined) } } : body,
    reveal: (body) => {
      if (!hasToken(body)) return body;
      const id = body.token!.id;
      return { ...body, token: { ...body.token, secret: secretFor(id), ...withCard(body.token!, cvcFor(id)) } };
    },
  };
}

export function newVaultKey(): string {
  return randomBytes(32).toString('base64url');
}
