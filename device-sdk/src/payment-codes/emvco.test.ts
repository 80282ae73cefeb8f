import { describe, expect, it } from 'vitest';
import { crc16 } from './crc16.ts';
import { parseEmvco } from './emvco.ts';

/** The example of EMVCo QRCPS-MPM (v1.1, appendix), a dynamic code of a Beijing transport merchant. */
const SPEC_EXAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING' +
  '64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

/** A code body with its CRC appended, as a merchant's generator makes it. */
const withCrc = (body: string) => `${body}6304${crc16(`${body}6304`)}`;
const field = (id: string, value: string) => `${id}${String(Array.from(value).length).padStart(2, '0')}${value}`;
const staticBody = (extra = '') =>
  `000201${field('01', '11')}${field('26', `${field('00', 'com.example.pay')}${field('01', 'MER123')}`)}${field('52', '7523')}${field('53', '156')}` +
  `${field('58', 'CN')}${field('59', '停车场')}${field('60', '上海')}${extra}`;

describe('CRC-16/CCITT-FALSE', () => {
  it.each([
    ['123456789', '29B1'], // the standard check value
    ['', 'FFFF'],
  ])('%j → %s', (text, crc) => expect(crc16(text)).toBe(crc));
});

describe('EMVCo merchant-presented codes', () => {
  it("reads the specification's example", () => {
    expect(parseEmvco(SPEC_EXAMPLE)).toEqual({
      kind: 'emvco',
      initiation: 'dynamic',
      accounts: [
        { id: '29', guid: 'D15600000000', fields: { '00': 'D15600000000', '05': 'A93FO3230Q' } },
        { id: '31', guid: 'D15600000001', fields: { '00': 'D15600000001', '03': '12345678' } },
      ],
      merchantCategoryCode: '4111',
      currency: 'CNY',
      amount: { minor: 2372, currency: 'CNY' },
      country: 'CN',
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      postalCode: null,
      additionalData: { storeLabel: '1234', customerLabel: '***', terminalLabel: 'A6008667', consumerDataRequest: 'ME' },
      alternateLanguage: { language: 'ZH', name: '最佳运输', city: '北京' },
    });
  });

  it('reads a static code (no amount: the payer says how much), with Chinese names counted in characters', () => {
    const code = parseEmvco(withCrc(staticBody()));
    expect(code).toMatchObject({ initiation: 'static', amount: null, merchantName: '停车场', merchantCity: '上海', merchantCategoryCode: '7523' });
    expect(code.accounts).toEqual([{ id: '26', guid: 'com.example.pay', fields: { '00': 'com.example.pay', '01': 'MER123' } }]);
  });

  it.each([
    ['a web address', 'https://example.com/menu', 'not_a_payment_code'],
    ['Wi-Fi details', 'WIFI:S:cafe;T:WPA;P:secret;;', 'not_a_payment_code'],
    ['one character misread', SPEC_EXAMPLE.replace('BEST TRANSPORT', 'BEST TRANSPORU'), 'bad_crc'],
    ['the amount altered', SPEC_EXAMPLE.replace('540523.72', '540593.72'), 'bad_crc'],
    ['cut short', SPEC_EXAMPLE.slice(0, -12), 'damaged_code'],
    ['a length running past the end', withCrc(`000201${field('01', '12')}5999toolong`), 'damaged_code'],
    ['no merchant name', withCrc(staticBody().replace(field('59', '停车场'), '')), 'missing_field'],
    ['no merchant account', withCrc(`000201${field('01', '11')}${field('52', '7523')}${field('53', '156')}${field('58', 'CN')}${field('59', 'X')}${field('60', 'Y')}`), 'missing_field'],
    ['an unknown currency', withCrc(staticBody().replace(field('53', '156'), field('53', '999'))), 'invalid_field'],
    ['more decimals than the currency has', withCrc(staticBody(field('54', '1.234'))), 'invalid_field'],
    ['a dynamic code without its amount', withCrc(staticBody().replace(field('01', '11'), field('01', '12'))), 'missing_field'],
  ])('refuses %s (%s)', (_name, text, problem) => {
    expect(() => parseEmvco(text)).toThrow(expect.objectContaining({ problem }));
  });
});
