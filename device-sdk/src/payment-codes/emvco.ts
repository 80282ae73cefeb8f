import { currencyExponent, type Money } from '@agentpay/protocol';
import { crc16 } from './crc16.ts';
import { UnpayableCodeError } from './errors.ts';
import { type DataObject, readTlv } from './tlv.ts';

/** A merchant-presented QR code (EMVCo QRCPS-MPM), in the terms a payment needs. */
export interface EmvcoPaymentCode {
  kind: 'emvco';
  /** Static codes are printed once (the payer enters the amount); dynamic ones carry it. */
  initiation: 'static' | 'dynamic';
  /** Merchant account templates (IDs 02–51), each with its globally unique identifier. */
  accounts: { id: string; guid: string | null; fields: Record<string, string> }[];
  merchantCategoryCode: string;
  currency: string;
  /** Present on dynamic codes (and static ones that fix a price). */
  amount: Money | null;
  country: string;
  merchantName: string;
  merchantCity: string;
  postalCode: string | null;
  /** ID 62: bill number, reference, terminal, purpose, … by their names. */
  additionalData: Record<string, string>;
  /** ID 64: the merchant's name and city in another language. */
  alternateLanguage: { language: string; name: string; city: string | null } | null;
}

/** ISO 4217 numeric → alphabetic, for the currencies payment codes are seen with. */
const CURRENCIES: Record<string, string> = {
  '156': 'CNY', '344': 'HKD', '446': 'MOP', '901': 'TWD', '392': 'JPY', '410': 'KRW', '702': 'SGD', '458': 'MYR',
  '764': 'THB', '360': 'IDR', '704': 'VND', '608': 'PHP', '356': 'INR', '840': 'USD', '978': 'EUR', '826': 'GBP',
  '036': 'AUD', '124': 'CAD', '756': 'CHF', '784': 'AED',
};

const ADDITIONAL: Record<string, string> = {
  '01': 'billNumber', '02': 'mobileNumber', '03': 'storeLabel', '04': 'loyaltyNumber', '05': 'referenceLabel',
  '06': 'customerLabel', '07': 'terminalLabel', '08': 'purpose', '09': 'consumerDataRequest',
};

/**
 * Parses an EMVCo merchant-presented QR code: TLV structure, the CRC checked
 * first (a misread code must never be paid), then the fields a payment needs.
 * Throws UnpayableCodeError naming what is wrong.
 */
export function parseEmvco(text: string): EmvcoPaymentCode {
  const code = text.trim();
  if (!code.startsWith('000201')) throw new UnpayableCodeError('not_a_payment_code', 'not an EMVCo payment code: it must start with the payload format indicator "000201"');
  const crcAt = code.lastIndexOf('6304');
  if (crcAt < 0 || crcAt !== code.length - 8) throw new UnpayableCodeError('damaged_code', 'the code does not end with its CRC (ID 63, four hex digits)');
  const expected = crc16(code.slice(0, crcAt + 4));
  const found = code.slice(crcAt + 4).toUpperCase();
  if (found !== expected) throw new UnpayableCodeError('bad_crc', `the code's CRC is ${found} but its contents give ${expected}: it was misread or altered`);

  const fields = new Map<string, DataObject>();
  const accounts: EmvcoPaymentCode['accounts'] = [];
  for (const object of readTlv(code.slice(0, crcAt))) {
    const id = Number(object.id);
    if (id >= 2 && id <= 51) {
      // 02–25 are card-network account numbers (plain values); 26–51 are templates with a GUID.
      const inner = id >= 26 ? Object.fromEntries(readTlv(object.value, `merchant account ${object.id}`).map((o) => [o.id, o.value])) : { '00': object.value };
      accounts.push({ id: object.id, guid: id >= 26 ? (inner['00'] ?? null) : null, fields: inner });
    } else {
      fields.set(object.id, object);
    }
  }
  const get = (id: string, name: string): string => {
    const value = fields.get(id)?.value;
    if (value === undefined || value === '') throw new UnpayableCodeError('missing_field', `the code has no ${name} (ID ${id})`);
    return value;
  };
  const initiationValue = fields.get('01')?.value;
  if (initiationValue !== undefined && initiationValue !== '11' && initiationValue !== '12') {
    throw new UnpayableCodeError('invalid_field', `the point of initiation (ID 01) is "${initiationValue}", not 11 (static) or 12 (dynamic)`);
  }
  if (accounts.length === 0) throw new UnpayableCodeError('missing_field', 'the code names no merchant account (IDs 02–51)');
  const mcc = get('52', 'merchant category code');
  if (!/^\d{4}$/.test(mcc)) throw new UnpayableCodeError('invalid_field', `the merchant category code (ID 52) "${mcc}" is not four digits`);
  const numeric = get('53', 'transaction currency');
  const currency = CURRENCIES[numeric];
  if (!currency) throw new UnpayableCodeError('invalid_field', `the transaction currency (ID 53) "${numeric}" is not an ISO 4217 numeric code this SDK knows`);
  const amountText = fields.get('54')?.value;
  let amount: Money | null = null;
  if (amountText !== undefined) {
    const exponent = currencyExponent(currency);
    const match = /^(\d+)(?:\.(\d*))?$/.exec(amountText);
    if (!match || (match[2] ?? '').length > exponent) throw new UnpayableCodeError('invalid_field', `the amount (ID 54) "${amountText}" is not an amount in ${currency}`);
    amount = { minor: Number(match[1]) * 10 ** exponent + Number((match[2] ?? '').padEnd(exponent, '0') || 0), currency };
  }
  const initiation = initiationValue === '12' ? 'dynamic' : 'static';
  if (initiation === 'dynamic' && !amount) throw new UnpayableCodeError('missing_field', 'a dynamic code must carry its amount (ID 54)');
  const additionalData = fields.has('62')
    ? Object.fromEntries(readTlv(fields.get('62')!.value, 'the additional data (ID 62)').map((o) => [ADDITIONAL[o.id] ?? `field${o.id}`, o.value]))
    : {};
  const language = fields.has('64') ? Object.fromEntries(readTlv(fields.get('64')!.value, 'the language template (ID 64)').map((o) => [o.id, o.value])) : null;
  return {
    kind: 'emvco',
    initiation,
    accounts,
    merchantCategoryCode: mcc,
    currency,
    amount,
    country: get('58', 'country code'),
    merchantName: get('59', 'merchant name'),
    merchantCity: get('60', 'merchant city'),
    postalCode: fields.get('61')?.value ?? null,
    additionalData,
    alternateLanguage: language ? { language: language['00'] ?? '', name: language['01'] ?? '', city: language['02'] ?? null } : null,
  };
}
