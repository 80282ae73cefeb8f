import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical.ts';
import {
  encodePaymentCode, type MerchantPaymentCode, PAYMENT_CODE_PREFIX, parsePaymentCode, PaymentCodeError, verifyPaymentCode,
} from './payment-code.ts';
import { generateSigningKey, signCanonical } from './signatures.ts';

const NOW = new Date('2026-11-21T10:00:00Z');

const code = (extra: Partial<MerchantPaymentCode> = {}): MerchantPaymentCode => ({
  v: 1,
  merchantId: 'mer_tea',
  amount: { minor: 259_00, currency: 'CNY' },
  lineItems: [
    { name: 'West Lake Longjing green tea, 50 g', quantity: 2, unitMinor: 35_00 },
    { name: 'Yixing clay teapot', quantity: 1, unitMinor: 189_00 },
  ],
  category: 'physical_goods',
  reference: 'ord_1',
  description: 'Demo Tea Shop order ord_1',
  notify: 'http://127.0.0.1:8788/api/payment-codes/notify',
  expiresAt: '2026-11-21T10:15:00Z',
  ...extra,
});

/** Expects `promise` to fail with a PaymentCodeError of `code` whose message matches `message`. */
async function refused(promise: Promise<unknown> | (() => unknown), errorCode: string, message: RegExp) {
  const run = typeof promise === 'function' ? Promise.resolve().then(promise) : promise;
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PaymentCodeError);
  expect(error).toMatchObject({ code: errorCode, message: expect.stringMatching(message) });
}

describe('merchant payment codes', () => {
  it('encodes a signed URI that parses and verifies back to the same code', async () => {
    const key = await generateSigningKey();
    const text = await encodePaymentCode(code(), key.privateKey);
    expect(text.startsWith(`${PAYMENT_CODE_PREFIX}jws=`)).toBe(true);
    expect(parsePaymentCode(text, NOW)).toMatchObject({ kid: 'mer_tea', payload: code() });
    await expect(verifyPaymentCode(text, key.publicJwk, NOW)).resolves.toEqual(code());
    await expect(verifyPaymentCode(`  ${text}\n`, key.publicJwk, NOW, { origins: ['http://127.0.0.1:8788'] })).resolves.toEqual(code());
  });

  it('refuses to encode an invalid code, naming the field', async () => {
    const key = await generateSigningKey();
    await refused(encodePaymentCode(code({ amount: { minor: 1, currency: 'CNY' } }), key.privateKey), 'invalid_payment_code', /lineItems: line items must add up/);
    await refused(encodePaymentCode(code({ notify: 'ftp://shop/notify' }), key.privateKey), 'invalid_payment_code', /notify: notify must be an absolute http\(s\) URL/);
    await refused(encodePaymentCode(code({ notify: '/api/payment-codes/notify' }), key.privateKey), 'invalid_payment_code', /notify/);
    await refused(encodePaymentCode({ ...code(), extra: 1 } as MerchantPaymentCode, key.privateKey), 'invalid_payment_code', /extra/);
  });

  it('says what is not a payment code and what is malformed', async () => {
    await refused(() => parsePaymentCode('https://example.com/pay', NOW), 'not_a_payment_code', /must start with "agentpay:\/\/pay\?"/);
    await refused(() => parsePaymentCode('agentpay://pay?code=abc', NOW), 'malformed_payment_code', /no "jws" parameter/);
    await refused(() => parsePaymentCode('agentpay://pay?jws=a.b', NOW), 'malformed_payment_code', /not a compact JWS/);
    await refused(() => parsePaymentCode('agentpay://pay?jws=a.b.c', NOW), 'bad_signature', /cannot be decoded/);
  });

  it('refuses an expired code', async () => {
    const key = await generateSigningKey();
    const text = await encodePaymentCode(code(), key.privateKey);
    await refused(() => parsePaymentCode(text, new Date('2026-11-21T10:15:00Z')), 'payment_code_expired', /expired at 2026-11-21T10:15:00Z/);
    await refused(verifyPaymentCode(text, key.publicJwk, new Date('2026-11-22T00:00:00Z')), 'payment_code_expired', /expired/);
  });

  it('refuses a code signed by another key', async () => {
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const text = await encodePaymentCode(code(), other.privateKey);
    await refused(verifyPaymentCode(text, key.publicJwk, NOW), 'bad_signature', /signature does not verify/);
  });

  it('refuses a tampered amount', async () => {
    const key = await generateSigningKey();
    const [header, , signature] = (await encodePaymentCode(code(), key.privateKey)).slice(`${PAYMENT_CODE_PREFIX}jws=`.length).split('.');
    const cheaper = code({ amount: { minor: 35_00, currency: 'CNY' }, lineItems: [{ name: 'Tea', quantity: 1, unitMinor: 35_00 }] });
    const forged = `${PAYMENT_CODE_PREFIX}jws=${header}.${Buffer.from(canonicalize(cheaper)).toString('base64url')}.${signature}`;
    expect(parsePaymentCode(forged, NOW).payload.amount.minor).toBe(35_00); // parse alone does not verify
    await refused(verifyPaymentCode(forged, key.publicJwk, NOW), 'bad_signature', /does not verify/);
  });

  it('refuses a code whose kid is not its merchant, or whose notify URL leaves the merchant', async () => {
    const key = await generateSigningKey();
    const jws = await signCanonical(code(), key.privateKey, 'mer_other');
    await refused(() => parsePaymentCode(`${PAYMENT_CODE_PREFIX}jws=${jws}`, NOW), 'wrong_merchant', /signed as mer_other but names merchant mer_tea/);
    const text = await encodePaymentCode(code({ notify: 'https://evil.example/steal' }), key.privateKey);
    await refused(verifyPaymentCode(text, key.publicJwk, NOW, { origins: ['http://127.0.0.1:8788'] }), 'wrong_merchant', /not on the merchant's origins/);
  });

  it('names the field of a signed payload that breaks the schema, and refuses other algorithms', async () => {
    const key = await generateSigningKey();
    const jws = await signCanonical({ ...code(), category: 'weapons' }, key.privateKey, 'mer_tea');
    await refused(() => parsePaymentCode(`${PAYMENT_CODE_PREFIX}jws=${jws}`, NOW), 'invalid_payment_code', /category/);
    const hs = await new CompactSign(new TextEncoder().encode(canonicalize(code())))
      .setProtectedHeader({ alg: 'HS256', kid: 'mer_tea' })
      .sign(new Uint8Array(32));
    await refused(() => parsePaymentCode(`${PAYMENT_CODE_PREFIX}jws=${hs}`, NOW), 'bad_signature', /must use ES256, not HS256/);
  });
});
