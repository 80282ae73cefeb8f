import { describe, expect, it } from 'vitest';
import { type CardRole, classifyField, type FieldDescription } from './card-fields.ts';

const cases: [string, FieldDescription, CardRole | null][] = [
  // autocomplete="cc-*" says it best, whatever else the field is called
  ['autocomplete cc-name', { autocomplete: 'cc-name' }, 'name'],
  ['autocomplete cc-number', { autocomplete: 'cc-number' }, 'number'],
  ['autocomplete cc-exp', { autocomplete: 'cc-exp' }, 'exp'],
  ['autocomplete cc-exp-month', { autocomplete: 'cc-exp-month' }, 'expMonth'],
  ['autocomplete cc-exp-year', { autocomplete: 'cc-exp-year' }, 'expYear'],
  ['autocomplete cc-csc', { autocomplete: 'cc-csc' }, 'cvc'],
  ['autocomplete with section and billing tokens', { autocomplete: 'section-pay billing cc-number' }, 'number'],
  ['autocomplete in capitals', { autocomplete: 'CC-NUMBER' }, 'number'],
  ['autocomplete beats a misleading name', { autocomplete: 'cc-csc', name: 'card_number' }, 'cvc'],

  // English labels, placeholders, names and ids without autocomplete
  ['label "Name on card"', { labels: ['Name on card'] }, 'name'],
  ['label "Cardholder name"', { labels: ['Cardholder name'] }, 'name'],
  ['label "Card number"', { labels: ['Card number'] }, 'number'],
  ['placeholder "Card No."', { placeholder: 'Card No.' }, 'number'],
  ['name "cardnumber"', { name: 'cardnumber' }, 'number'],
  ['name "ccnum"', { name: 'ccnum' }, 'number'],
  ['label "Expiry date"', { labels: ['Expiry date'] }, 'exp'],
  ['placeholder "MM / YY"', { placeholder: 'MM / YY' }, 'exp'],
  ['label "Valid thru"', { labels: ['Valid thru'] }, 'exp'],
  ['name "exp_month"', { name: 'exp_month' }, 'expMonth'],
  ['label "Expiration month"', { labels: ['Expiration month'] }, 'expMonth'],
  ['id "expYear"', { id: 'expYear' }, 'expYear'],
  ['placeholder "YYYY"', { placeholder: 'YYYY' }, 'expYear'],
  ['label "CVC"', { labels: ['CVC'] }, 'cvc'],
  ['placeholder "CVV"', { placeholder: 'CVV' }, 'cvc'],
  ['label "Security code"', { labels: ['Security code'] }, 'cvc'],
  ['aria-label "Card code" (passed as a label)', { labels: ['Card code'] }, 'cvc'],
  ['autocomplete="on" does not name the field', { autocomplete: 'on', labels: ['Card number'] }, 'number'],
  ['autocomplete="off" does not name the field', { autocomplete: 'off', name: 'cvv' }, 'cvc'],
  ['the first text that matches wins: label before name', { labels: ['CVV'], name: 'card_number' }, 'cvc'],

  // Chinese labels
  ['持卡人姓名', { labels: ['持卡人姓名'] }, 'name'],
  ['卡号', { labels: ['卡号'] }, 'number'],
  ['银行卡号', { labels: ['银行卡号'] }, 'number'],
  ['有效期', { labels: ['有效期'] }, 'exp'],
  ['有效期月', { labels: ['有效期月'] }, 'expMonth'],
  ['有效期年', { labels: ['有效期年'] }, 'expYear'],
  ['安全码 (CVV)', { labels: ['安全码 (CVV)'] }, 'cvc'],
  ['卡验证码', { labels: ['卡验证码'] }, 'cvc'],

  // Japanese
  ['カード番号', { labels: ['カード番号'] }, 'number'],
  ['クレジットカード番号', { labels: ['クレジットカード番号'] }, 'number'],
  ['有効期限', { labels: ['有効期限'] }, 'exp'],
  ['有効期限（月）', { labels: ['有効期限（月）'] }, 'expMonth'],
  ['有効期限（年）', { labels: ['有効期限（年）'] }, 'expYear'],
  ['セキュリティコード', { labels: ['セキュリティコード'] }, 'cvc'],
  ['カード名義人', { labels: ['カード名義人'] }, 'name'],
  ['名義人', { labels: ['名義人'] }, 'name'],

  // German
  ['Kartennummer', { labels: ['Kartennummer'] }, 'number'],
  ['Kreditkartennummer', { labels: ['Kreditkartennummer'] }, 'number'],
  ['Ablaufdatum', { labels: ['Ablaufdatum'] }, 'exp'],
  ['Gültig bis', { labels: ['Gültig bis'] }, 'exp'],
  ['placeholder MM/JJ', { placeholder: 'MM/JJ' }, 'exp'],
  ['Prüfnummer', { labels: ['Prüfnummer'] }, 'cvc'],
  ['Kartenprüfnummer (not the card number)', { labels: ['Kartenprüfnummer'] }, 'cvc'],
  ['Karteninhaber', { labels: ['Karteninhaber'] }, 'name'],
  ['Monat', { labels: ['Monat'] }, 'expMonth'],
  ['Jahr', { labels: ['Jahr'] }, 'expYear'],

  // French
  ['Numéro de carte', { labels: ['Numéro de carte'] }, 'number'],
  ["Date d'expiration", { labels: ["Date d'expiration"] }, 'exp'],
  ['placeholder MM/AA', { placeholder: 'MM/AA' }, 'exp'],
  ['Cryptogramme visuel', { labels: ['Cryptogramme visuel'] }, 'cvc'],
  ['Titulaire de la carte', { labels: ['Titulaire de la carte'] }, 'name'],
  ['Mois', { labels: ['Mois'] }, 'expMonth'],
  ['Année', { labels: ['Année'] }, 'expYear'],

  // Spanish
  ['Número de tarjeta', { labels: ['Número de tarjeta'] }, 'number'],
  ['Fecha de caducidad', { labels: ['Fecha de caducidad'] }, 'exp'],
  ['Fecha de vencimiento', { labels: ['Fecha de vencimiento'] }, 'exp'],
  ['Código de seguridad', { labels: ['Código de seguridad'] }, 'cvc'],
  ['Titular de la tarjeta', { labels: ['Titular de la tarjeta'] }, 'name'],
  ['Mes', { labels: ['Mes'] }, 'expMonth'],
  ['Año', { labels: ['Año'] }, 'expYear'],

  // names and ids with underscores, and the weakest hint: the group's legend
  ['name "card_cvc"', { name: 'card_cvc' }, 'cvc'],
  ['name "cc_exp"', { name: 'cc_exp' }, 'exp'],
  ['placeholder "MMYY"', { placeholder: 'MMYY' }, 'exp'],
  ['an unlabelled box under the legend "Card number"', { name: 'cc2', group: 'Card number' }, 'number'],
  ['its own label beats the legend', { labels: ['CVC'], group: 'Card number' }, 'cvc'],
  ['a legend that mentions a phone does not hide the card fields under it', { labels: ['Card number'], group: 'Payment and phone' }, 'number'],

  // not card fields
  ['email by label', { labels: ['Email'], name: 'email', placeholder: 'you@example.com' }, null],
  ['shipping address', { labels: ['Street address'], name: 'address1' }, null],
  ['full name (not on a card)', { labels: ['Full name'], name: 'fullName' }, null],
  ['phone', { labels: ['Phone number'], name: 'phone' }, null],
  ['收货地址', { labels: ['收货地址'] }, null],
  ['验证码 (an SMS code)', { labels: ['验证码'], name: 'sms_code' }, null],
  ['短信验证码', { labels: ['短信验证码'] }, null],
  ['coupon code', { labels: ['Coupon code'], name: 'coupon' }, null],
  ['autocomplete="email" with a misleading name', { autocomplete: 'email', name: 'card_number', labels: ['Card number'] }, null],
  ['autocomplete="shipping street-address" with a misleading id', { autocomplete: 'shipping street-address', id: 'cvv' }, null],
  ['Mes de nacimiento (a birth month)', { labels: ['Mes de nacimiento'] }, null],
  ['Geburtsjahr', { labels: ['Geburtsjahr'] }, null],
  ['Téléphone', { labels: ['Téléphone'], name: 'phone' }, null],
  ['Código postal', { labels: ['Código postal'] }, null],
  ['Vorname', { labels: ['Vorname'] }, null],
  ['Nom', { labels: ['Nom'] }, null],
  ['メールアドレス', { labels: ['メールアドレス'] }, null],
  ['a field under the legend "信用卡" (a section, not the number)', { name: 'email', group: '信用卡' }, null],
  ['no description at all', {}, null],
  ['blank texts only', { labels: ['  '], name: '', id: null, placeholder: null }, null],
];

describe('classifyField', () => {
  it.each(cases)('%s', (_title, field, role) => {
    expect(classifyField(field)).toBe(role);
  });
});

// One field for month and year must be read as the expiry, not as the month alone.
describe('classifyField, a combined month/year label', () => {
  it.each([
    ['有效期 (月/年)', { labels: ['有效期 (月/年)'] }, 'exp'],
    ['有效期（月/年）, full-width parentheses', { labels: ['有效期（月/年）'] }, 'exp'],
    ['Expiry month / year', { labels: ['Expiry month / year'] }, 'exp'],
  ] as [string, FieldDescription, CardRole][])('%s', (_title, field, role) => {
    expect(classifyField(field)).toBe(role);
  });
});
