import type { TopUp } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { autoTopUpSentence, balanceText, dayLabel, priceText, topUpHow, topUpStatusText } from './labels.ts';

const CNY = (minor: number) => ({ minor, currency: 'CNY' });
const topUp = (status: TopUp['status'], reason: string | null = null, automatic = false): TopUp => ({
  id: 'tup_1', vendorId: 'mer_v', accountId: 'cra_1', agent: { id: 'agt_1', name: 'Shopping agent' }, amount: CNY(10_00), automatic, status, intentId: null, reason, createdAt: '2026-05-10T10:00:00Z',
});

describe('the words of the credits page', () => {
  it.each([
    [topUp('paid'), 'paid'],
    [topUp('held'), 'waiting for your approval'],
    [topUp('pending'), 'being decided'],
    [topUp('failed', 'agent agt_1 is paused'), 'failed: agent agt_1 is paused'],
    [topUp('failed'), 'failed'],
  ])('a top-up %#', (t, text) => expect(topUpStatusText(t)).toBe(text));

  it('says who decided to buy', () => {
    expect(topUpHow(topUp('paid', null, true))).toBe('automatic');
    expect(topUpHow(topUp('paid'))).toBe('asked by the agent');
  });

  it('says the balance, the reserve only when there is one, prices, days and the setting', () => {
    expect(balanceText({ balance: CNY(12_00), reserved: CNY(0) })).toBe('12.00 CNY');
    expect(balanceText({ balance: CNY(12_00), reserved: CNY(1_00) })).toBe('12.00 CNY (1.00 CNY of it reserved for requests being served)');
    expect(priceText({ model: 'tea-large', unit: 'tokens', perMillion: CNY(30_00) })).toBe('tea-large: 30.00 CNY per million tokens');
    expect(dayLabel('2026-05-03')).toBe('3 May');
    expect(autoTopUpSentence(null)).toBe('Automatic top-up is off: credits are bought only when an agent asks.');
    expect(autoTopUpSentence({ accountId: 'cra_1', agent: { id: 'agt_1', name: 'Shopping agent' }, threshold: CNY(5_00), amount: CNY(20_00) }))
      .toBe('When the balance falls below 5.00 CNY, Shopping agent buys 20.00 CNY more under its mandate.');
  });
});
