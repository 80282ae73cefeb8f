import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, jwsKeyId, PublicJwk, signCanonical, verifyCanonical } from './signatures.ts';

describe('ES256 over canonical JSON', () => {
  it('verifies what the key signed and returns the payload', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const jws = await signCanonical({ b: 2, a: 1 }, privateKey, 'wal_1');
    expect(jwsKeyId(jws)).toBe('wal_1');
    await expect(verifyCanonical(jws, publicJwk)).resolves.toMatchObject({ payload: { a: 1, b: 2 }, kid: 'wal_1' });
  });

  it('refuses a signature from another key', async () => {
    const signer = await generateSigningKey();
    const other = await generateSigningKey();
    const jws = await signCanonical({ a: 1 }, signer.privateKey, 'k');
    await expect(verifyCanonical(jws, other.publicJwk)).rejects.toThrow(/does not verify/);
  });

  it('refuses a tampered payload', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const [header, , signature] = (await signCanonical({ amount: 100 }, privateKey, 'k')).split('.');
    const forged = Buffer.from('{"amount":1}').toString('base64url');
    await expect(verifyCanonical(`${header}.${forged}.${signature}`, publicJwk)).rejects.toThrow(/does not verify/);
  });

  it('refuses a payload that is not canonical JSON', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const jws = await new CompactSign(new TextEncoder().encode('{"b":1,"a":2}'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    await expect(verifyCanonical(jws, publicJwk)).rejects.toThrow(/not canonical/);
  });

  it('rejects a JWK that carries a private key', async () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'a'.repeat(43), y: 'b'.repeat(43), d: 'c'.repeat(43) };
    expect(PublicJwk.safeParse(jwk).success).toBe(false);
  });
});
