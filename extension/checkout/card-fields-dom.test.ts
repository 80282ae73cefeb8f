// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { type CardFields, cardFieldsOf } from './card-fields.ts';

const THIS_YEAR = new Date().getFullYear();
const monthOptions = (text: (m: number) => string, value: (m: number) => string = (m) => String(m)) =>
  Array.from({ length: 12 }, (_, i) => `<option value="${value(i + 1)}">${text(i + 1)}</option>`).join('');
const yearOptions = (digits: 2 | 4, from = THIS_YEAR) =>
  Array.from({ length: 10 }, (_, i) => String(from + i).slice(4 - digits)).map((y) => `<option value="${y}">${y}</option>`).join('');
const boxes = (attrs: (i: number) => string, count = 4) => Array.from({ length: count }, (_, i) => `<input ${attrs(i)}>`).join('');

/** Roles as the ids of the fields found, so a table can say which field is which. */
function found(fields: CardFields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [role, field] of Object.entries(fields)) {
    out[role] = Array.isArray(field) ? field.map((f) => f.id) : (field as Element).id;
  }
  return out;
}

beforeEach(() => {
  document.documentElement.lang = 'en';
  document.body.innerHTML = '';
});

const layouts: [string, string, Record<string, string | string[]>][] = [
  ['autocomplete names every field', `<input id="n" autocomplete="cc-number"><input id="e" autocomplete="cc-exp"><input id="c" autocomplete="cc-csc"><input id="h" autocomplete="cc-name">`,
    { number: 'n', exp: 'e', cvc: 'c', name: 'h' }],
  ['four unlabelled boxes named cc1..cc4', boxes((i) => `id="b${i}" name="cc${i + 1}" maxlength="4"`),
    { number: 'b0', numberParts: ['b0', 'b1', 'b2', 'b3'] }],
  ['boxes named cardnumber[0]..[3]', boxes((i) => `id="b${i}" name="cardnumber[${i}]" maxlength="4"`),
    { number: 'b0', numberParts: ['b0', 'b1', 'b2', 'b3'] }],
  ['one label "Kartennummer" for four nameless boxes', `<label for="b0">Kartennummer</label>${boxes((i) => `id="b${i}" maxlength="4"`)}<label for="c">Prüfnummer</label><input id="c" maxlength="4">`,
    { number: 'b0', numberParts: ['b0', 'b1', 'b2', 'b3'], cvc: 'c' }],
  ['boxes under the legend "Card number", then an unlabelled 4-digit box of another name', `<fieldset><legend>Card number</legend>${boxes((i) => `id="b${i}" name="n${i}" maxlength="4"`)}</fieldset><input id="x" name="sec" maxlength="4">`,
    { number: 'b0', numberParts: ['b0', 'b1', 'b2', 'b3'] }],
  ['a 15-digit card in boxes of 4, 6 and 5', `<label for="a">Card number</label><input id="a" maxlength="4"><input id="b" maxlength="6"><input id="c" maxlength="5"><label for="v">CVV</label><input id="v" maxlength="4">`,
    { number: 'a', numberParts: ['a', 'b', 'c'], cvc: 'v' }],
  ['a phone number in three boxes is not a card number', boxes((i) => `id="p${i}" name="cc${i}" maxlength="${i === 2 ? 4 : 3}"`, 3), {}],
  ['one number field with a maxlength of 19 is one field', `<label for="n">Card number</label><input id="n" maxlength="19">`, { number: 'n' }],
  ['two selects under one "Expiry date" label', `<label for="m">Expiry date</label><select id="m"><option value="">MM</option>${monthOptions((m) => `${String(m).padStart(2, '0')} - ${new Intl.DateTimeFormat('en', { month: 'long' }).format(new Date(2001, m - 1, 15))}`)}</select><select id="y"><option value="">YYYY</option>${yearOptions(4)}</select>`,
    { expMonth: 'm', expYear: 'y' }],
  ['"Gültig bis" wrapping month and year selects, both called exp', `<label>Gültig bis <select id="m" name="exp1"><option>Monat</option>${monthOptions((m) => String(m).padStart(2, '0'))}</select> / <select id="y" name="exp2"><option>Jahr</option>${yearOptions(2)}</select></label>`,
    { expMonth: 'm', expYear: 'y' }],
  ['"Ablaufdatum" over two short inputs', `<label for="m">Ablaufdatum</label><input id="m" maxlength="2"> / <input id="y" maxlength="2">`, { expMonth: 'm', expYear: 'y' }],
  ['one MM/YY input', `<label for="e">Expiry</label><input id="e" placeholder="MM / YY">`, { exp: 'e' }],
  ['a Japanese form: month selects in 月, years', `<label for="n">カード番号</label><input id="n"><label for="m">有効期限</label><select id="m">${monthOptions((m) => `${m}月`)}</select><select id="y">${yearOptions(4)}</select><label for="c">セキュリティコード</label><input id="c"><label for="h">カード名義人</label><input id="h">`,
    { number: 'n', expMonth: 'm', expYear: 'y', cvc: 'c', name: 'h' }],
  ['a French form with month names for options', `<label for="n">Numéro de carte</label><input id="n"><label for="m">Date d'expiration</label><select id="m">${monthOptions((m) => new Intl.DateTimeFormat('fr', { month: 'long' }).format(new Date(2001, m - 1, 15)), (m) => `m${m}`)}</select><select id="y">${yearOptions(4)}</select><label for="c">Cryptogramme visuel</label><input id="c">`,
    { number: 'n', expMonth: 'm', expYear: 'y', cvc: 'c' }],
  ['labels by aria-labelledby', `<span id="l1">Número de tarjeta</span><input id="n" aria-labelledby="l1"><span id="l2">Código de seguridad</span><input id="c" aria-labelledby="l2">`, { number: 'n', cvc: 'c' }],
  ['a birth date in selects is not an expiry', `<label for="m">Month of birth</label><select id="m">${monthOptions(String)}</select><select id="y">${yearOptions(4, 1950)}</select>`, {}],
  ['hidden and button inputs are never card fields', `<input type="hidden" id="h" name="card_number"><input type="submit" id="s" name="cvc">`, {}],
];

describe('cardFieldsOf, layouts', () => {
  it.each(layouts)('%s', (_title, html, expected) => {
    document.body.innerHTML = `<form id="f">${html}</form>`;
    expect(found(cardFieldsOf(document.getElementById('f') as HTMLFormElement))).toEqual(expected);
  });
});

describe('cardFieldsOf, shadow DOM and roots other than a form', () => {
  it('finds fields in an open shadow root, and in one nested in it, from the document', () => {
    document.body.innerHTML = '<checkout-form id="outer"></checkout-form>';
    const outer = document.getElementById('outer')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<form><label for="n">Card number</label><input id="n"><card-extra id="inner"></card-extra></form>';
    const inner = outer.getElementById('inner')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<span id="cl">CVC</span><input id="c" aria-labelledby="cl"><input id="e" autocomplete="cc-exp">';
    expect(found(cardFieldsOf(document))).toEqual({ number: 'n', cvc: 'c', exp: 'e' });
  });

  it('takes a shadow root as the root', () => {
    document.body.innerHTML = '<pay-box id="host"></pay-box>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<fieldset><legend>Kartennummer</legend>${boxes((i) => `id="b${i}" maxlength="4"`)}</fieldset>`;
    expect(found(cardFieldsOf(shadow))).toEqual({ number: 'b0', numberParts: ['b0', 'b1', 'b2', 'b3'] });
  });

  it('reads a frame that holds only the expiry field (a hosted field)', () => {
    document.body.innerHTML = '<input id="e" name="exp-date" placeholder="MM / YY">';
    expect(found(cardFieldsOf(document))).toEqual({ exp: 'e' });
  });
});
