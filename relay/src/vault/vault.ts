import { createHmac, randomBytes } from 'node:crypto';
import { CARD_BIN, luhnCheckDigit } from './card.ts';

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
  /** The 16-digit number of the token's card form, derived the same way: only its hash and last four are stored. */
  cardNumberFor(tokenId: string): string;
  hash(secret: string): string;
  /** Keyed hash of a card number, by which a card charge finds its token. */
  cardHash(number: string): string;
  /** Removes token secrets (and the card's number and CVC) from an answer before it is stored for replay. */
  redact(body: unknown): unknown;
  /** Puts the secrets back into a stored answer. */
  reveal(body: unknown): unknown;
}

interface WithToken {
  token?: { id: string; secret?: string; card?: { number?: string; cvc?: string } };
}

export function createVault(key: Buffer): Vault {
  if (key.length < 32) throw new Error('the vault key must be at least 32 bytes');
  const mac = (label: string, data: string) =>
    createHmac('sha256', key).update(label).update('\0').update(data).digest('base64url');
  const secretFor = (tokenId: string) => `tks_${mac('token-secret', tokenId)}`;
  // 6 bytes of the MAC as a number mod 1000: the bias (under 1e-11) does not matter.
  const cvcFor = (tokenId: string) =>
    String(Buffer.from(mac('card-cvc', tokenId), 'base64url').readUIntBE(0, 6) % 1000).padStart(3, '0');
  // 12 random digits under the 999 BIN: 6 bytes of the MAC mod 10^12 (bias under 1e-2 of a digit's weight
  // at the top, irrelevant here); a collision with another token's number is caught by the unique hash.
  const cardNumberFor = (tokenId: string) => {
    const body = CARD_BIN + String(Buffer.from(mac('card-number', tokenId), 'base64url').readUIntBE(0, 6) % 1e12).padStart(12, '0');
    return body + luhnCheckDigit(body);
  };
  const withCard = (token: NonNullable<WithToken['token']>, card: { number?: string; cvc?: string }) =>
    token.card ? { card: { ...token.card, ...card } } : {};
  const hasToken = (body: unknown): body is WithToken =>
    typeof body === 'object' && body !== null && typeof (body as WithToken).token?.id === 'string';

  return {
    secretFor,
    cvcFor,
    cardNumberFor,
    hash: (secret) => mac('token-hash', secret),
    cardHash: (number) => mac('card-number-hash', number),
    redact: (body) =>
      hasToken(body)
        ? { ...body, token: { ...body.token, secret: undefined, ...withCard(body.token!, { number: undefined, cvc: undefined }) } }
        : body,
    reveal: (body) => {
      if (!hasToken(body)) return body;
      const id = body.token!.id;
      // Answers stored before card numbers were derived still carry their number.
      const number = body.token!.card?.number ?? cardNumberFor(id);
      return { ...body, token: { ...body.token, secret: secretFor(id), ...withCard(body.token!, { number, cvc: cvcFor(id) }) } };
    },
  };
}

export function newVaultKey(): string {
  return randomBytes(32).toString('base64url');
}
