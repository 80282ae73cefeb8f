// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fillCard, fillCardFields, splitNumber, type TokenCard } from './fill-card.ts';

const THIS_YEAR = new Date().getFullYear();
const card: TokenCard = { number: '4242424242424242', expMonth: 8, expYear: THIS_YEAR + 3, cvc: '123' };
const amex: TokenCard = { ...card, number: '378282246310005', cvc: '1234' };
const YY = String(card.expYear % 100).padStart(2, '0');
const AGENT = 'value="5555555555554444"';

const value = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement).value;
const months = (text: (m: number) => string, val: (m: number) => string = (m) => String(m)) =>
  Array.from({ length: 12 }, (_, i) => `<option value="${val(i + 1)}">${text(i + 1)}</option>`).join('');
const years = (digits: 2 | 4) =>
  Array.from({ length: 10 }, (_, i) => String(THIS_YEAR + i).slice(4 - digits)).map((y) => `<option value="${y}">${y}</option>`).join('');
const monthName = (lang: string, style: 'long' | 'short') => (m: number) => new Intl.DateTimeFormat(lang, { month: style }).format(new Date(2001, m - 1, 15));

beforeEach(() => {
  document.documentElement.lang = 'en';
  document.body.innerHTML = '';
});

function fill(html: string, token = card): string[] {
  document.body.innerHTML = `<form id="f">${html}</form>`;
  return fillCardFields(document.getElementById('f')!, token, 'AgentPay token');
}

describe('fillCardFields, the number', () => {
  it.each([
    ['one field, over the agent\'s card', `<input id="a" autocomplete="cc-number" ${AGENT}>`, card, { a: card.number }],
    ['four boxes of 4', Array.from({ length: 4 }, (_, i) => `<input id="a${i}" name="cc${i + 1}" maxlength="4">`).join(''), card, { a0: '4242', a1: '4242', a2: '4242', a3: '4242' }],
    ['four boxes of maxlength 5 still take 4 each', `<label for="a0">Card number</label>` + Array.from({ length: 4 }, (_, i) => `<input id="a${i}" maxlength="5">`).join(''), card, { a0: '4242', a1: '4242', a2: '4242', a3: '4242' }],
    ['a 15-digit card in 4/6/5 boxes', `<label for="a">Card number</label><input id="a" maxlength="4"><input id="b" maxlength="6"><input id="c" maxlength="5">`, amex, { a: '3782', b: '822463', c: '10005' }],
    ['a 15-digit card in four boxes of 4', Array.from({ length: 4 }, (_, i) => `<input id="a${i}" name="cardnumber[${i}]" maxlength="4">`).join(''), amex, { a0: '3782', a1: '8224', a2: '6310', a3: '005' }],
  ] as const)('%s', (_title, html, token, expected) => {
    expect(fill(html, token)).toContain('number');
    for (const [id, digits] of Object.entries(expected)) expect(value(id)).toBe(digits);
  });

  it('splitNumber leaves nothing out', () => {
    expect(splitNumber('4000056655665556', [4, 4, 4, 4]).join('')).toBe('4000056655665556');
    expect(splitNumber('4000000000000000006', [4, 4, 4, 4])).toEqual(['4000', '0000', '0000', '0000006']);
  });
});

describe('fillCardFields, month and year selects', () => {
  const yearSelect = `<select id="y"><option value="">Year</option>${years(4)}</select>`;
  it.each([
    ['values 1..12', months(String)],
    ['values 01..12', months((m) => String(m).padStart(2, '0'), (m) => String(m).padStart(2, '0'))],
    ['"01 - January"', months((m) => `${String(m).padStart(2, '0')} - ${monthName('en', 'long')(m)}`, (m) => `v${m}`)],
    ['"Jan" with 0-based values', months(monthName('en', 'short'), (m) => String(m - 1))],
    ['German "Januar"', months(monthName('de', 'long'), (m) => `de${m}`)],
    ['French "janv."', months(monthName('fr', 'short'), (m) => `fr${m}`)],
    ['Spanish "enero"', months(monthName('es', 'long'), (m) => `es${m}`)],
    ['Japanese "1月"', months((m) => `${m}月`, (m) => `ja${m}`)],
  ])('month options %s', (_title, options) => {
    const html = `<label for="m">Expiry date</label><select id="m"><option value="">MM</option>${options}</select>${yearSelect}`;
    document.body.innerHTML = `<form id="f">${html}</form>`;
    const month = document.getElementById('m') as HTMLSelectElement;
    month.selectedIndex = 1; // the agent picked January
    expect(fillCardFields(document.getElementById('f')!, card, 'x').sort()).toEqual(['expMonth', 'expYear']);
    expect(month.selectedIndex).toBe(8); // after the "MM" placeholder, August is the eighth option
    expect(value('y')).toBe(String(card.expYear));
  });

  it('picks a two-digit year option', () => {
    fill(`<label>Gültig bis <select id="m">${months(String)}</select><select id="y"><option value="">JJ</option>${years(2)}</select></label>`);
    expect(value('y')).toBe(YY);
    expect(value('m')).toBe('8');
  });

  it('reports a year it cannot find in the options as not filled', () => {
    const roles = fill(`<select id="m" autocomplete="cc-exp-month">${months(String)}</select><select id="y" autocomplete="cc-exp-year"><option>${THIS_YEAR - 5}</option><option>${THIS_YEAR - 4}</option></select>`);
    expect(roles).toEqual(['expMonth']);
  });
});

describe('fillCardFields, expiry inputs', () => {
  it.each([
    ['placeholder MM/YY', '<input id="e" autocomplete="cc-exp" placeholder="MM/YY" value="01/20">', `08/${YY}`],
    ['placeholder MM / YY', '<input id="e" autocomplete="cc-exp" placeholder="MM / YY">', `08 / ${YY}`],
    ['placeholder MM/YYYY', '<input id="e" autocomplete="cc-exp" placeholder="MM/YYYY">', `08/${card.expYear}`],
    ['placeholder MM/JJ (German)', '<label for="e">Ablaufdatum</label><input id="e" placeholder="MM/JJ">', `08/${YY}`],
    ['placeholder MM/AA (French)', "<label for=\"e\">Date d'expiration</label><input id=\"e\" placeholder=\"MM/AA\">", `08/${YY}`],
    ['placeholder 月/年', '<label for="e">有效期 (月/年)</label><input id="e" placeholder="月/年">', `08/${card.expYear}`],
    ['maxlength 5, no placeholder', '<input id="e" autocomplete="cc-exp" maxlength="5">', `08/${YY}`],
    ['maxlength 7, no placeholder', '<input id="e" autocomplete="cc-exp" maxlength="7">', `08/${card.expYear}`],
    ['maxlength 4 (MMYY)', '<input id="e" autocomplete="cc-exp" maxlength="4">', `08${YY}`],
  ])('%s', (_title, html, expected) => {
    expect(fill(html)).toEqual(['exp']);
    expect(value('e')).toBe(expected);
  });

  it('month and year inputs: two digits where the year box takes two, four otherwise', () => {
    fill('<label for="m">Ablaufdatum</label><input id="m" maxlength="2"><input id="y" maxlength="2">');
    expect([value('m'), value('y')]).toEqual(['08', YY]);
    fill('<input id="m" name="exp_month"><input id="y" name="exp_year" placeholder="YYYY">');
    expect([value('m'), value('y')]).toEqual(['08', String(card.expYear)]);
  });
});

describe('fillCardFields, what it reports and keeps', () => {
  it('fills a frame that holds only the expiry and says so', () => {
    document.body.innerHTML = '<input id="e" name="exp-date" placeholder="MM / YY">';
    expect(fillCardFields(document, card, 'x')).toEqual(['exp']);
    expect(value('e')).toBe(`08 / ${YY}`);
  });

  it('writes the CVC over the agent\'s, and a holder name only into an empty field', () => {
    expect(fill('<input id="c" autocomplete="cc-csc" value="999"><input id="h" autocomplete="cc-name" value="Ada Lovelace">').sort()).toEqual(['cvc']);
    expect([value('c'), value('h')]).toEqual(['123', 'Ada Lovelace']);
    expect(fill('<input id="h" autocomplete="cc-name">')).toEqual(['name']);
    expect(value('h')).toBe('AgentPay token');
  });

  it('fillCard throws, having written nothing, when the form has no number field', () => {
    document.body.innerHTML = '<form id="f"><input id="c" autocomplete="cc-csc" value="999"></form>';
    expect(() => fillCard(document.getElementById('f') as HTMLFormElement, card, 'x')).toThrow(/no longer has a card number field/);
    expect(value('c')).toBe('999');
  });
});

describe('fillCardFields, events frameworks listen to', () => {
  it('fills fields in an open shadow root, and listeners outside it hear input and change', () => {
    document.body.innerHTML = '<pay-form id="host"></pay-form>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<label for="n">Kartennummer</label><input id="n"><select id="m" autocomplete="cc-exp-month">${months(String)}</select>`;
    const heard: string[] = [];
    for (const type of ['input', 'change']) document.addEventListener(type, (event) => heard.push(`${type}:${(event.composedPath()[0] as Element).id}`));
    expect(fillCardFields(document, card, 'x').sort()).toEqual(['expMonth', 'number']);
    expect((shadow.getElementById('n') as HTMLInputElement).value).toBe(card.number);
    expect(heard).toEqual(['input:n', 'change:n', 'input:m', 'change:m']);
  });

  it('goes around a React-style value tracker, so the framework sees a changed value', () => {
    document.body.innerHTML = `<form id="f"><input id="n" autocomplete="cc-number" ${AGENT}></form>`;
    const input = document.getElementById('n') as HTMLInputElement;
    // React records every value written through the element's own `value` property and,
    // on an input event, ignores it when the value equals the one it recorded.
    const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!;
    let tracked = input.value;
    Object.defineProperty(input, 'value', {
      configurable: true,
      get: () => native.get!.call(input),
      set: (v: string) => {
        tracked = v;
        native.set!.call(input, v);
      },
    });
    const seen: string[] = [];
    input.addEventListener('input', () => {
      const current = native.get!.call(input) as string;
      if (current !== tracked) seen.push(current);
      tracked = current;
    });
    fillCardFields(document.getElementById('f')!, card, 'x');
    expect(seen).toEqual([card.number]);
  });
});
