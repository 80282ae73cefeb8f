import { describe, expect, it } from 'vitest';
import {
  agentpayRequirement, decodePaymentPayload, decodePaymentRequired, decodePaymentResponse, encodePaymentPayload,
  encodePaymentRequired, encodePaymentResponse, type PaymentRequired, X402Error,
} from './x402-v1.ts';

const required: PaymentRequired = {
  x402Version: 1,
  accepts: [{
    scheme: 'agentpay',
    merchantId: 'mer_tea',
    amount: { minor: 35_00, currency: 'CNY' },
    lineItems: [{ name: '龙井 Longjing', quantity: 1, unitMinor: 35_00 }],
    category: 'physical_goods',
    reference: 'ord_1',
    description: 'Receipt PDF for ord_1',
  }],
};

const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('x402-style headers', () => {
  it('round-trips PAYMENT-REQUIRED as standard base64 of UTF-8 JSON', () => {
    const header = encodePaymentRequired(required);
    expect(header).toBe(base64Json(required));
    expect(decodePaymentRequired(header)).toEqual(required);
    expect(agentpayRequirement(decodePaymentRequired(header))).toEqual(required.accepts[0]);
  });

  it('keeps other schemes beside ours and finds ours', () => {
    const mixed = { x402Version: 1, accepts: [{ scheme: 'exact', network: 'base', maxAmountRequired: '1000' }, required.accepts[0]] };
    expect(agentpayRequirement(decodePaymentRequired(base64Json(mixed)))).toEqual(required.accepts[0]);
    expect(agentpayRequirement(decodePaymentRequired(base64Json({ x402Version: 1, accepts: [{ scheme: 'exact' }] })))).toBeUndefined();
  });

  it('names the field of a bad agentpay requirement', () => {
    const bad = { x402Version: 1, accepts: [{ ...required.accepts[0], amount: { minor: 12.5, currency: 'CNY' } }] };
    expect(() => decodePaymentRequired(base64Json(bad))).toThrow(/PAYMENT-REQUIRED is invalid: accepts\.0\.amount\.minor/);
    expect(() => decodePaymentRequired(base64Json({ x402Version: 2, accepts: [] }))).toThrow(/x402Version/);
  });

  it('round-trips X-PAYMENT and X-PAYMENT-RESPONSE, also from base64url', () => {
    const payment = { scheme: 'agentpay' as const, reference: 'ord_1', token: 'tok_secret' };
    expect(decodePaymentPayload(encodePaymentPayload(payment))).toEqual(payment);
    expect(decodePaymentPayload(Buffer.from(JSON.stringify(payment)).toString('base64url'))).toEqual(payment);
    expect(decodePaymentResponse(encodePaymentResponse({ chargeId: 'chg_1' }))).toEqual({ chargeId: 'chg_1' });
  });

  it('says which header is missing, not base64 JSON, or missing a field', () => {
    const attempt = (header: string | null) => {
      try {
        decodePaymentPayload(header);
      } catch (error) {
        expect(error).toBeInstanceOf(X402Error);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt(null)).toBe('X-PAYMENT is missing');
    expect(attempt('%%%')).toMatch(/^X-PAYMENT is not base64-encoded JSON/);
    expect(attempt(base64Json({ scheme: 'agentpay', reference: 'ord_1' }))).toMatch(/^X-PAYMENT is invalid: token:/);
    expect(attempt(base64Json({ scheme: 'exact', reference: 'ord_1', token: 't' }))).toMatch(/scheme/);
  });
});
