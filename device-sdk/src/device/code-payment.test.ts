import { describe, expect, it } from 'vitest';
import { crc16 } from '../payment-codes/crc16.ts';
import { paymentForCode } from './code-payment.ts';

/** An EMVCo code from its fields (ID + length + value), with the CRC appended. */
function emvco(fields: [string, string][]): string {
  const body = fields.map(([id, value]) => `${id}${String(value.length).padStart(2, '0')}${value}`).join('') + '6304';
  return body + crc16(body);
}

const agentpayAccount = (merchantId: string) => `0012dev.agentpay01${String(merchantId.length).padStart(2, '0')}${merchantId}`;
const base = (extra: [string, string][], initiation = '12'): [string, string][] => [
  ['00', '01'], ['01', initiation], ...extra, ['52', '7523'], ['53', '156'], ['58', 'CN'], ['59', 'Stadium Parking'], ['60', 'Beijing'],
];

describe('paymentForCode', () => {
  it('pays a dynamic EMVCo code naming an AgentPay merchant, by its MCC as parking', () => {
    const text = emvco(base([['26', agentpayAccount('mer_gate1')], ['54', '12.00'], ['62', '0108P-778812']]));
    expect(paymentForCode(text)).toEqual({
      ok: true,
      request: {
        merchant: { id: 'mer_gate1', name: 'Stadium Parking' },
        amount: { minor: 12_00, currency: 'CNY' },
        category: 'parking',
        reference: 'P-778812',
        description: 'Stadium Parking P-778812',
      },
    });
  });

  it.each([
    ['an EMVCo code of other schemes only', emvco(base([['26', '0011com.example01041234'], ['54', '5.00']])), 'not_accepted', /Stadium Parking takes com\.example, not AgentPay/],
    ['a static EMVCo code without an amount', emvco(base([['26', agentpayAccount('mer_gate1')]], '11')), 'no_amount', /has no amount/],
    ["a WeChat Pay code", 'wxp://f2f0abcdefgh', 'other_wallet', /a WeChat Pay code/],
    ['a website', 'https://example.com/menu', 'not_a_payment_code', /not a payment code/],
    ['a misread EMVCo code', emvco(base([['26', agentpayAccount('mer_gate1')], ['54', '12.00']])).replace('12.00', '18.00'), 'bad_crc', /./],
  ])('refuses %s with a reason to speak', (_name, text, code, reason) => {
    const result = paymentForCode(text);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});
