import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAssertion } from '../src/identity/passkey.ts';
import { type AssertionOptions, softAuthenticator } from './webauthn.ts';

const CHALLENGE = 'Qx3Zx6cHh7iV0m2n8dQ1sQ8yS3u2D4gH1mKkq9F0c2E';
const authenticator = softAuthenticator({ rpId: 'agentpay-wallet', origin: 'chrome-extension://agentpaywalletextensionidabcdefgh' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('verifyAssertion (WebAuthn, ES256)', () => {
  it('accepts an assertion made the way an authenticator makes it', () => {
    expect(verifyAssertion(authenticator.passkey, authenticator.assert(CHALLENGE), CHALLENGE)).toEqual({ ok: true });
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
});
