import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAssertion } from '../src/identity/passkey.ts';
import { isCanonicalBase64url } from '@agentpay/protocol';
import { type AssertionOptions, otherS, reencoded, softAuthenticator } from './webauthn.ts';

const CHALLENGE = 'Qx3Zx6cHh7iV0m2n8dQ1sQ8yS3u2D4gH1mKkq9F0c2E';
const authenticator = softAuthenticator({ rpId: 'agentpay-wallet', origin: 'chrome-extension://agentpaywalletextensionidabcdefgh' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('verifyAssertion (WebAuthn, ES256)', () => {
  it('accepts an assertion made the way an authenticator makes it', () => {
    expect(verifyAssertion(authenticator.passkey, authenticator.assert(CHALLENGE), CHALLENGE)).toMatchObject({ ok: true });
  });

  it.each<[string, AssertionOptions & { challenge?: string; tamper?: 'signature' | 'authenticatorData' }, RegExp]>([
    ['a tampered challenge', { challenge: CHALLENGE.replace('Q', 'R') }, /challenge/],
    ['another origin', { origin: 'https://evil.example' }, /origin .*evil\.example.* not the registered/],
    ['another rpId', { rpId: 'evil.example' }, /rpIdHash/],
    ['a registration instead of an assertion', { type: 'webauthn.create' }, /webauthn\.get/],
    ['no user verification (UV flag missing)', { flags: 0x01 }, /UV not set/],
    ['no user presence (UP flag missing)', { flags: 0x04 }, /UP not set/],
    ['another key', { privateKey: other.privateKey }, /signature does not verify/],
    ['another credential', { credentialId: 'c29tZW9uZS1lbHNl' }, /credential c29tZW9uZS1lbHNl/],
    ['a flipped signature byte', { tamper: 'signature' }, /signature does not verify/],
    ['authenticator data changed after signing', { tamper: 'authenticatorData' }, /signature does not verify/],
  ])('refuses %s', (_name, options, reason) => {
    const { challenge, tamper, ...overrides } = options;
    const assertion = authenticator.assert(challenge ?? CHALLENGE, overrides);
    if (tamper) {
      const bytes = Buffer.from(assertion[tamper], 'base64url');
      bytes[bytes.length - 1]! ^= 0x01;
      assertion[tamper] = bytes.toString('base64url');
    }
    const check = verifyAssertion(authenticator.passkey, assertion, CHALLENGE);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('refuses clientDataJSON that is not JSON and authenticator data that is too short', () => {
    const good = authenticator.assert(CHALLENGE);
    const notJson = { ...good, clientDataJSON: Buffer.from('{nope').toString('base64url') };
    expect(verifyAssertion(authenticator.passkey, notJson, CHALLENGE)).toEqual({ ok: false, reason: 'clientDataJSON is not JSON' });
    const short = { ...good, authenticatorData: Buffer.alloc(10).toString('base64url') };
    expect(verifyAssertion(authenticator.passkey, short, CHALLENGE)).toMatchObject({ ok: false, reason: expect.stringMatching(/shorter than 37/) });
  });

  it('gives one fingerprint to an assertion however its signature is written, so it is remembered once', () => {
    const assertion = authenticator.assert(CHALLENGE);
    const twin = { ...assertion, signature: otherS(assertion.signature) };
    expect(twin.signature).not.toBe(assertion.signature);
    const first = verifyAssertion(authenticator.passkey, assertion, CHALLENGE);
    const second = verifyAssertion(authenticator.passkey, twin, CHALLENGE);
    expect(second.ok && first.ok && second.fingerprint === first.fingerprint).toBe(true);
    // Another assertion over the same challenge is another fingerprint.
    const again = verifyAssertion(authenticator.passkey, authenticator.assert(CHALLENGE), CHALLENGE);
    expect(again.ok && first.ok && again.fingerprint !== first.fingerprint).toBe(true);
  });

  it('refuses bytes spelled in a non-canonical base64url, which a lenient decoder would read as the same', () => {
    const assertion = authenticator.assert(CHALLENGE);
    const respelled = { ...assertion, authenticatorData: reencoded(assertion.authenticatorData) };
    expect(Buffer.from(respelled.authenticatorData, 'base64url')).toEqual(Buffer.from(assertion.authenticatorData, 'base64url'));
    expect(verifyAssertion(authenticator.passkey, respelled, CHALLENGE)).toMatchObject({ ok: false, reason: expect.stringMatching(/canonical base64url/) });
    expect(isCanonicalBase64url(assertion.authenticatorData)).toBe(true);
    expect(isCanonicalBase64url(respelled.authenticatorData)).toBe(false);
    expect(isCanonicalBase64url('QQ')).toBe(true);
    expect(isCanonicalBase64url('QR')).toBe(false);
    expect(isCanonicalBase64url('QUE')).toBe(true);
    expect(isCanonicalBase64url('QUF')).toBe(false);
    expect(isCanonicalBase64url('QUFB')).toBe(true);
    expect(isCanonicalBase64url('QUFBQ')).toBe(false);
  });

  it('refuses a signature that is not strict DER and an assertion made in a cross-origin frame', () => {
    const assertion = authenticator.assert(CHALLENGE);
    const der = Buffer.from(assertion.signature, 'base64url');
    const padded = { ...assertion, signature: Buffer.concat([der, Buffer.from([0])]).toString('base64url') };
    expect(verifyAssertion(authenticator.passkey, padded, CHALLENGE)).toMatchObject({ ok: false, reason: expect.stringMatching(/DER/) });
    const framed = authenticator.assert(CHALLENGE, { crossOrigin: true });
    expect(verifyAssertion(authenticator.passkey, framed, CHALLENGE)).toMatchObject({ ok: false, reason: expect.stringMatching(/cross-origin/) });
  });
});
