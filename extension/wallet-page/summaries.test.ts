import { MandateDocument } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { summarizeMandate } from './summaries.ts';

const base = { v: 1, walletId: 'wal_1', actorId: 'agt_1', issuedAt: '2026-11-21T10:00:00Z' };
const doc = (d: object) => MandateDocument.parse({ ...base, ...d });

describe('summarizeMandate', () => {
  it.each([
    ['none', null, 'No mandate: you confirm every payment.'],
    ['confirm each', { document: doc({ kind: 'confirm_each' }), spent: null }, 'You confirm every payment.'],
    ['confirm each with a block', { document: doc({ kind: 'confirm_each', block: { merchants: ['mer_x'], categories: ['travel'] } }), spent: null },
      'You confirm every payment. Always declined: mer_x, travel.'],
    ['quota', {
      document: doc({ kind: 'quota', budget: { minor: 100000, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai', maxPerPaymentMinor: 30000, categories: ['groceries', 'ev_charging'], merchants: ['mer_a'] }),
      spent: { minor: 1250, currency: 'CNY' },
    }, 'Budget 1000.00 CNY per month (Asia/Shanghai), 12.50 CNY spent this month, up to 300.00 CNY per payment, only groceries, ev charging, merchants mer_a. Beyond it, payments wait for you.'],
    ['bare quota', { document: doc({ kind: 'quota', budget: { minor: 5000, currency: 'JPY' }, period: 'day' }), spent: null },
      'Budget 5000 JPY per day (UTC). Beyond it, payments wait for you.'],
    ['rules', {
      document: doc({ kind: 'rules', rules: [
        { id: 'a', description: 'shop', currency: 'CNY', maxPerPaymentMinor: 20000, merchants: { allow: ['mer_a'] }, categories: { allow: ['physical_goods'] } },
        { id: 'b', currency: 'CNY', maxPerPaymentMinor: 5000, whileDriving: true, timeWindow: { start: '07:00', end: '20:00' } },
      ] }),
      spent: null,
    }, '2 rules: shop: up to 200.00 CNY per payment for physical goods at mer_a; up to 50.00 CNY per payment 07:00–20:00 only while driving. Anything else waits for you.'],
  ])('%s', (_name, mandate, text) => {
    expect(summarizeMandate(mandate)).toBe(text);
  });
});
