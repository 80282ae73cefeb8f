import { describe, expect, it } from 'vitest';
import { type Body, cardIn, withTokenCard } from './card-body.ts';
import { cardNumbersIn, isCardNumber, splitCardRuns } from './card-numbers.ts';

const AGENT = '4242424242424242';
const TOKEN = { number: '5555555555554444', expMonth: 3, expYear: 2031, cvc: '987' };

describe('what counts as a card number', () => {
  it.each([
    ['4242424242424242', true],
    ['378282246310005', true], // Amex, 15 digits
    ['6200000000000005', true], // UnionPay
    ['4242424242424241', false], // check digit wrong
    ['1732000000000003', false], // a millisecond timestamp's shape: no issuer starts with 1
    ['424242424242', false], // 12 digits
  ])('%s → %s', (digits, expected) => expect(isCardNumber(digits)).toBe(expected));

  it('finds numbers written with spaces or dashes, and not inside longer digit runs', () => {
    expect(cardNumbersIn('card 4242 4242 4242 4242 ok').map((c) => c.digits)).toEqual([AGENT]);
    expect(cardNumbersIn('4242-4242-4242-4242').map((c) => c.digits)).toEqual([AGENT]);
    expect(cardNumbersIn('id 942424242424242429')).toEqual([]);
  });

  it('finds numbers grouped by input masks and serialised forms: no-break and thin spaces, "+", full-width digits', () => {
    for (const written of ['4242\u00a04242\u00a04242\u00a04242', '4242\u20094242\u20094242\u20094242', 'number=4242+4242+4242+4242&cvc=123', '４２４２４２４２４２４２４２４２']) {
      expect(cardNumbersIn(written).map((c) => c.digits)).toEqual([AGENT]);
    }
  });

  it('finds a number split over neighbouring values', () => {
    expect(splitCardRuns(['Agent', '4242', '4242', '4242', '4242', '123'])).toEqual([{ start: 1, length: 4, digits: AGENT }]);
    expect(splitCardRuns(['3782', '822463', '10005'])).toEqual([{ start: 0, length: 3, digits: '378282246310005' }]);
    expect(splitCardRuns(['12', '30', '123'])).toEqual([]);
  });
});

describe('a card in a request', () => {
  const form = new FormData();
  form.append('cardNumber', '4242 4242 4242 4242');
  form.append('exp', '12/30');
  form.append('cvc', '123');
  form.append('receipt', new Blob(['pdf']), 'receipt.pdf');

  const cases: { name: string; url?: string; body: Body; expected: string | null }[] = [
    { name: 'JSON', body: JSON.stringify({ payment: { card: { number: AGENT, exp_month: 12, exp_year: 2030, cvc: '123' } } }), expected: AGENT },
    { name: 'JSON number', body: `{"pan":${AGENT}}`, expected: AGENT },
    { name: 'form-encoded text', body: `cc-number=${AGENT}&cc-exp=12%2F30&cc-csc=123`, expected: AGENT },
    { name: 'URLSearchParams', body: new URLSearchParams({ number: '4242-4242-4242-4242' }), expected: AGENT },
    { name: 'multipart', body: form, expected: AGENT },
    { name: 'split in JSON', body: JSON.stringify({ cc1: '4242', cc2: '4242', cc3: '4242', cc4: '4242' }), expected: AGENT },
    { name: 'split in an array', body: JSON.stringify({ number: ['4242', '4242', '4242', '4242'] }), expected: AGENT },
    { name: 'plain text', body: `PAN=${AGENT};`, expected: AGENT },
    { name: 'in the query', url: `/pay?card=${AGENT}&amount=1`, body: null, expected: AGENT },
    { name: 'an order with a timestamp', body: JSON.stringify({ orderId: 'A-1001', at: 1732000000000, total: 4250 }), expected: null },
    { name: 'nothing', body: null, expected: null },
  ];
  it.each(cases)('$name', ({ url, body, expected }) => expect(cardIn(url ?? '/pay', body)).toBe(expected));
});

describe('the token card in place of the agent card', () => {
  it('JSON keeps its keys and types, expiry and code by their names', () => {
    const body = JSON.stringify({ amount: 4250, card: { number: AGENT, exp_month: 12, exp_year: 2030, cvc: '123', name: 'Agent' } });
    const out = JSON.parse(withTokenCard('/pay', body, TOKEN).body as string);
    expect(out).toEqual({ amount: 4250, card: { number: TOKEN.number, exp_month: 3, exp_year: 2031, cvc: '987', name: 'Agent' } });
  });

  it.each([
    ['expiry', '12/30', '03/31'],
    ['cardExpiry', '12 / 2030', '03 / 2031'],
    ['expMonth', '12', '03'],
    ['expYear', '30', '31'],
    ['security_code', '123', '987'],
    ['cc-csc', '1234', '987'],
  ])('%s=%s → %s', (key, value, expected) => {
    const body = new URLSearchParams({ number: AGENT, [key]: value });
    expect((withTokenCard('/pay', body, TOKEN).body as URLSearchParams).get(key)).toBe(expected);
  });

  it('a number keeps the way it was written', () => {
    expect(withTokenCard('/pay', 'card=4242+4242+4242+4242&x=1', TOKEN).body).toBe('card=5555+5555+5555+4444&x=1');
    expect(withTokenCard('/pay', 'PAN: 4242-4242-4242-4242.', TOKEN).body).toBe('PAN: 5555-5555-5555-4444.');
  });

  it('four boxes stay four fields', () => {
    const out = JSON.parse(withTokenCard('/pay', JSON.stringify({ cc1: '4242', cc2: '4242', cc3: '4242', cc4: '4242', cvv: '123' }), TOKEN).body as string);
    expect(out).toEqual({ cc1: '5555', cc2: '5555', cc3: '5555', cc4: '4444', cvv: '987' });
  });

  it('multipart keeps its files', () => {
    const form = new FormData();
    form.append('card', AGENT);
    form.append('attachment', new Blob(['x']), 'a.txt');
    const out = withTokenCard('/pay', form, TOKEN).body as FormData;
    expect(out.get('card')).toBe(TOKEN.number);
    expect(out.get('attachment')).toBeInstanceOf(Blob);
  });

  it('the query too', () => {
    expect(withTokenCard(`https://shop.example/pay?card=${AGENT}&cvc=123#x`, null, TOKEN).url).toBe(`https://shop.example/pay?card=${TOKEN.number}&cvc=987#x`);
  });

  it('a path segment, whole numbers only, the other segments as they were written', () => {
    expect(cardIn(`https://shop.example/cards/${AGENT}/eligibility`, null)).toBe(AGENT);
    expect(cardIn('https://news.example/2026/11/29/424242/4242424242', null)).toBeNull();
    expect(withTokenCard(`https://shop.example/a%3Ab/cards/4242%204242%204242%204242/check?x=1`, null, TOKEN).url).toBe(`https://shop.example/a%3Ab/cards/5555%205555%205555%204444/check?x=1`);
  });

  it('a masked number keeps its mask; full-width digits become the token\'s', () => {
    expect(withTokenCard('', JSON.stringify({ n: '4242\u00a04242\u00a04242\u00a04242' }), TOKEN).body).toBe(JSON.stringify({ n: '5555\u00a05555\u00a05555\u00a04444' }));
    expect(withTokenCard('', JSON.stringify({ n: '４２４２４２４２４２４２４２４２' }), TOKEN).body).toBe(JSON.stringify({ n: TOKEN.number }));
  });
});
