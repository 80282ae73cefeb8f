import { describe, expect, it } from 'vitest';
import { paymentCodeIn } from './payment-qr.ts';

/** The example of EMVCo QRCPS-MPM (v1.1, appendix): a dynamic code of a Beijing transport merchant. */
const SPEC_EXAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING' +
  '64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

describe('which decoded QR codes are payment codes', () => {
  it.each([
    ['a link to an article', ['https://news.example/2026/11/tea-harvest']],
    ['a bare word', ['hello']],
    ['a Wi-Fi login', ['WIFI:S:Cafe;T:WPA;P:secret;;']],
    ['digits that only start like an EMVCo code', ['000201 call us']],
    ['an EMVCo code with a wrong CRC', [SPEC_EXAMPLE.slice(0, -4) + 'A13B']],
    ['an EMVCo code cut short', [SPEC_EXAMPLE.slice(0, 60)]],
    ['nothing decoded', []],
  ])('%s is none', (_what, texts) => {
    expect(paymentCodeIn(texts)).toBeNull();
  });

  it("an EMVCo merchant-presented code is one, with the merchant's name", () => {
    expect(paymentCodeIn([SPEC_EXAMPLE])).toEqual({ kind: 'emvco', merchantName: 'BEST TRANSPORT' });
  });

  it('an AgentPay code is one, damaged or not (its signature is checked later), and wins over others in the image', () => {
    expect(paymentCodeIn(['https://example.com', ' agentpay://pay?jws=a.b.c ', SPEC_EXAMPLE])).toEqual({ kind: 'agentpay', text: 'agentpay://pay?jws=a.b.c' });
    expect(paymentCodeIn(['agentpay://pay?nonsense'])).toEqual({ kind: 'agentpay', text: 'agentpay://pay?nonsense' });
  });
});
