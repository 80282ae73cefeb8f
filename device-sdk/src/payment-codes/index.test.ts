import { encodePaymentCode, generateSigningKey } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { readPaymentCode } from './index.ts';

describe('readPaymentCode: whatever the camera read', () => {
  it.each([
    ['https://qr.alipay.com/fkx12345abcde', 'alipay'],
    ['wxp://f2f0aBcDeFgHiJkLmN_0123', 'wechat-pay'],
    ['https://qr.95516.com/00010000/62220000000000', 'unionpay'],
  ])('recognises %s as a %s code', (text, wallet) => {
    expect(readPaymentCode(text)).toEqual({ kind: 'wallet-url', wallet, url: text });
  });

  it('reads an AgentPay signed merchant code (its signature is checked later, with the merchant key)', async () => {
    const { privateKey } = await generateSigningKey();
    const text = await encodePaymentCode(
      {
        v: 1, merchantId: 'mer_gate', amount: { minor: 1500, currency: 'CNY' }, lineItems: [{ name: 'Parking', quantity: 1, unitMinor: 1500 }],
        category: 'parking', reference: 'gate-7', notify: 'https://gate.example/notify', expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
      privateKey,
    );
    expect(readPaymentCode(text)).toMatchObject({ kind: 'agentpay', kid: 'mer_gate', payload: { amount: { minor: 1500, currency: 'CNY' } } });
  });

  it.each([
    ['a website', 'https://example.com/', 'not_a_payment_code'],
    ['plain text', 'hello', 'not_a_payment_code'],
    ['a mangled Alipay code', 'https://qr.alipay.com/fkx 12345', 'damaged_code'],
    ['a mangled AgentPay code', 'agentpay://pay?jws=abc', 'damaged_code'],
  ])('refuses %s (%s)', (_name, text, problem) => {
    expect(() => readPaymentCode(text)).toThrow(expect.objectContaining({ problem }));
  });
});
