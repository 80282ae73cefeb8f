import { describe, expect, it } from 'vitest';
import { decodePaymentSignature, encodePaymentRequired, type PaymentRequired } from './x402.ts';
import * as v1 from './x402-v1.ts';
import { paymentRetryHeaders, readAskedPayment } from './x402-wallet.ts';

const v2: PaymentRequired = {
  x402Version: 2,
  resource: { url: 'https://tea.example/api/orders/ord_1/receipt', description: 'Receipt for ord_1' },
  accepts: [
    { scheme: 'exact', network: 'eip155:8453', amount: '10000', asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', payTo: '0xabc', maxTimeoutSeconds: 60, extra: {} },
    {
      scheme: 'exact', network: 'agentpay:relay-1', amount: '3500', asset: 'CNY', payTo: 'mer_tea', maxTimeoutSeconds: 300,
      extra: { reference: 'ord_1', lineItems: [{ name: 'Longjing', quantity: 1, unitMinor: 3500 }], category: 'physical_goods' },
    },
  ],
};
const v1Header = v1.encodePaymentRequired({
  x402Version: 1,
  accepts: [{ scheme: 'agentpay', merchantId: 'mer_tea', amount: { minor: 3500, currency: 'CNY' }, lineItems: [{ name: 'Longjing', quantity: 1, unitMinor: 3500 }], category: 'physical_goods', reference: 'ord_1' }],
});

describe('a wallet reads both 402 dialects AgentPay pays', () => {
  it.each([
    ['x402 v2, beside an on-chain option', encodePaymentRequired(v2), 2],
    ['the first, v1-shaped dialect', v1Header, 1],
  ])('%s: the merchant, amount, lines and reference', (_, header, version) => {
    expect(readAskedPayment(header)).toMatchObject({
      x402Version: version, merchantId: 'mer_tea', amount: { minor: 3500, currency: 'CNY' }, lineItems: [{ name: 'Longjing', quantity: 1, unitMinor: 3500 }],
      category: 'physical_goods', reference: 'ord_1',
    });
  });

  it('v2 is paid with PAYMENT-SIGNATURE carrying the accepted requirement exactly as the server wrote it', () => {
    const headers = paymentRetryHeaders(encodePaymentRequired(v2), 'secret-1');
    expect(Object.keys(headers)).toEqual(['PAYMENT-SIGNATURE']);
    expect(decodePaymentSignature(headers['PAYMENT-SIGNATURE'])).toEqual({ x402Version: 2, resource: v2.resource, accepted: v2.accepts[1], payload: { token: 'secret-1' } });
  });

  it('v1 is paid with X-PAYMENT, as before', () => {
    const headers = paymentRetryHeaders(v1Header, 'secret-1');
    expect(v1.decodePaymentPayload(headers['X-PAYMENT'])).toEqual({ scheme: 'agentpay', reference: 'ord_1', token: 'secret-1' });
  });

  it.each([
    ['only on-chain ways to pay', encodePaymentRequired({ ...v2, accepts: [v2.accepts[0]!] }), /no AgentPay payment/],
    ['lines that do not add up', encodePaymentRequired({ ...v2, accepts: [{ ...v2.accepts[1]!, amount: '3400' }] }), /line items add up to 3500/],
    ['a lower-case currency', encodePaymentRequired({ ...v2, accepts: [{ ...v2.accepts[1]!, asset: 'cny' }] }), /ISO 4217/],
    ['an amount in decimals', encodePaymentRequired({ ...v2, accepts: [{ ...v2.accepts[1]!, amount: '35.00', extra: {} }] }), /whole number of minor units/],
    ['an unknown version', btoa(JSON.stringify({ x402Version: 3, accepts: [] })), /x402Version must be 1 or 2/],
    ['not base64 JSON', '%%%', /not base64-encoded JSON/],
  ])('refuses %s, naming why', (_, header, why) => {
    expect(() => readAskedPayment(header)).toThrow(why);
  });
});
