import { describe, expect, it } from 'vitest';
import { cockpit, earphones, glasses } from './profiles.ts';

const cny = (minor: number) => ({ minor, currency: 'CNY' });

describe('device profiles', () => {
  it.each([
    ['parking under the limit', { amount: cny(12_00), category: 'parking' as const }, true],
    ['a toll at the limit', { amount: cny(50_00), category: 'tolls' as const }, true],
    ['parking above the limit', { amount: cny(80_00), category: 'parking' as const }, false],
    ['charging, not a gate payment', { amount: cny(10_00), category: 'ev_charging' as const }, false],
    ['parking in another currency', { amount: { minor: 5_00, currency: 'USD' }, category: 'parking' as const }, false],
  ])('the cockpit pays %s without asking: %s', (_name, request, expected) => {
    expect(cockpit().paysWithoutAsking(request)).toBe(expected);
  });

  it('lets a maker widen the cockpit rule', () => {
    const profile = cockpit({ categories: ['parking', 'ev_charging'], limit: { minor: 100_00, currency: 'CNY' } });
    expect(profile.paysWithoutAsking({ amount: cny(80_00), category: 'ev_charging' })).toBe(true);
  });

  it.each([
    ['cockpit', cockpit(), ['voice'], true, 'payments'],
    ['glasses', glasses(), ['voice', 'tap'], false, 'payments'],
    ['earphones', earphones(), ['voice'], false, 'everything'],
  ])('%s confirms by %j, driving %s, speaks %s', (_name, profile, confirmations, driving, speaks) => {
    expect(profile.confirmations).toEqual(confirmations);
    expect(profile.driving).toBe(driving);
    expect(profile.speaks).toBe(speaks);
  });

  it('never pays without asking on glasses or earphones', () => {
    for (const profile of [glasses(), earphones()]) expect(profile.paysWithoutAsking({ amount: cny(1), category: 'parking' })).toBe(false);
  });
});
