import { MandateDocument } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { mandateSentence, orList, type SentenceContext } from './sentence.ts';

const base = { v: 1, walletId: 'wal_1', actorId: 'agt_1', issuedAt: '2026-11-21T10:00:00Z' };
const doc = (d: object) => MandateDocument.parse({ ...base, ...d });
const names: Record<string, string> = { mer_tea: 'Demo Tea Shop', mer_gas: 'Corner Garage', mer_bet: 'Lucky Casino' };
const ctx: SentenceContext = { agentName: 'Tea buyer', merchantName: (id) => names[id], timeZone: 'Asia/Shanghai' };
const rule = { id: 'r', currency: 'CNY', maxPerPaymentMinor: 200_00 };

describe('mandateSentence', () => {
  it.each<[string, object | null, string]>([
    ['no mandate', null, 'Tea buyer has no mandate yet: every payment asks you.'],
    ['confirm each', { kind: 'confirm_each' }, 'Every payment by Tea buyer asks you.'],
    ['confirm each with blocks', { kind: 'confirm_each', block: { merchants: ['mer_bet', 'mer_gas'], categories: ['travel', 'ev_charging'] } },
      'Every payment by Tea buyer asks you. Always declined: Lucky Casino and Corner Garage; travel and EV charging.'],
    ['the issue’s own example', { kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai', categories: ['physical_goods'] },
      'Tea buyer may spend up to 500.00 CNY a month on physical goods; anything else asks you.'],
    ['quota with everything', {
      kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'week', timeZone: 'UTC', maxPerPaymentMinor: 300_00,
      categories: ['groceries', 'food'], merchants: ['mer_tea'], block: { merchants: ['mer_bet'], categories: [] },
    }, 'Tea buyer may spend up to 1000.00 CNY a week (UTC time), at most 300.00 CNY a payment on groceries or food and drink; anything else asks you. '
      + 'Demo Tea Shop is trusted from the first purchase. Always declined: Lucky Casino.'],
    ['rule at a merchant on a category', { kind: 'rules', rules: [{ ...rule, merchants: { allow: ['mer_tea'] }, categories: { allow: ['physical_goods'] } }] },
      'Tea buyer may pay up to 200.00 CNY a payment at Demo Tea Shop on physical goods; anything else asks you.'],
    ['rule with deny lists', { kind: 'rules', rules: [{ ...rule, merchants: { deny: ['mer_bet'] }, categories: { deny: ['travel', 'fuel'] } }] },
      'Tea buyer may pay up to 200.00 CNY a payment anywhere but Lucky Casino on anything but travel or fuel; anything else asks you.'],
    ['rule with allow and a kept deny', { kind: 'rules', rules: [{ ...rule, categories: { allow: ['parking', 'tolls'], deny: ['fuel'] } }] },
      'Tea buyer may pay up to 200.00 CNY a payment on parking or tolls but not fuel; anything else asks you.'],
    ['channels, weekday window, driving, description', { kind: 'rules', rules: [{
      ...rule, description: 'car park', channels: ['device-voice', 'device-scan'], whileDriving: true,
      timeWindow: { days: [1, 2, 3, 4, 5], start: '07:00', end: '20:00', timeZone: 'Asia/Shanghai' },
    }] }, 'Tea buyer may pay up to 200.00 CNY a payment by voice in a device or scan by a device on weekdays from 07:00 to 20:00 while driving (“car park”); anything else asks you.'],
    ['a window in another zone on some days', { kind: 'rules', rules: [{ ...rule, channels: ['browser', 'api'], timeWindow: { days: [0, 3], start: '22:00', end: '06:00', timeZone: 'Europe/Berlin' } }] },
      'Tea buyer may pay up to 200.00 CNY a payment by browser or API on Sunday or Wednesday from 22:00 to 06:00 (Europe/Berlin time); anything else asks you.'],
    ['two rules', { kind: 'rules', rules: [{ ...rule, merchants: { allow: ['mer_tea', 'mer_gas'] } }, { id: 'b', currency: 'USD', maxPerPaymentMinor: 999, timeWindow: { days: [0, 6], start: '10:00', end: '12:00', timeZone: 'Asia/Shanghai' } }] },
      'Tea buyer may pay up to 200.00 CNY a payment at Demo Tea Shop or Corner Garage; or up to 9.99 USD a payment at weekends from 10:00 to 12:00; anything else asks you.'],
    ['a merchant the wallet does not know keeps its id, said so', { kind: 'rules', rules: [{ ...rule, merchants: { allow: ['mer_gone'] } }] },
      'Tea buyer may pay up to 200.00 CNY a payment at a shop this wallet does not know (mer_gone); anything else asks you.'],
  ])('%s', (_name, document, text) => {
    expect(mandateSentence(document && { document: doc(document), spent: null }, ctx)).toBe(text);
  });

  it('tells what the budget has spent this period', () => {
    const document = doc({ kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai' });
    expect(mandateSentence({ document, spent: { minor: 58_00, currency: 'CNY' } }, ctx)).toBe(
      'Tea buyer may spend up to 500.00 CNY a month; anything else asks you. 58.00 CNY spent this month.',
    );
  });
});

describe('orList', () => {
  it.each([[[], ''], [['a'], 'a'], [['a', 'b'], 'a or b'], [['a', 'b', 'c'], 'a, b or c']])('%j → %s', (items, text) => {
    expect(orList(items)).toBe(text);
  });
});
