import { describe, expect, it } from 'vitest';
import { DAY_OPTIONS, merchantOptions } from './options.ts';

describe('merchantOptions', () => {
  const shop = { id: 'mer_tea', name: 'Demo Tea Shop', provenSites: ['http://127.0.0.1:8788'] };
  const fresh = { id: 'mer_new', name: 'New Shop', provenSites: [] };
  it.each([
    ['by name, with the proven site', [shop], [], [{ value: 'mer_tea', label: 'Demo Tea Shop', detail: '127.0.0.1:8788' }]],
    ['a shop with no proven site says so', [fresh], [], [{ value: 'mer_new', label: 'New Shop', detail: 'no proven site yet' }]],
    ['a picked id the wallet does not know stays, said to be unknown', [shop], ['mer_gone'], [
      { value: 'mer_tea', label: 'Demo Tea Shop', detail: '127.0.0.1:8788' },
      { value: 'mer_gone', label: 'A shop this wallet does not know (mer_gone)' },
    ]],
  ])('%s', (_name, merchants, picked, options) => {
    expect(merchantOptions(merchants, picked)).toEqual(options);
  });
});

describe('DAY_OPTIONS', () => {
  it('lists Monday first, counted as the protocol does (0 = Sunday)', () => {
    expect(DAY_OPTIONS.map((d) => `${d.value} ${d.label}`)).toEqual([
      '1 Monday', '2 Tuesday', '3 Wednesday', '4 Thursday', '5 Friday', '6 Saturday', '0 Sunday',
    ]);
  });
});
