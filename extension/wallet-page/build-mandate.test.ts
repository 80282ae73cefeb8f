import { MandateDocument } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { buildMandate } from './build-mandate.ts';
import { emptyRule, fieldsFromMandate, type MandateFields } from './mandate-fields.ts';

const ids = { walletId: 'wal_1', actorId: 'agt_1', issuedAt: '2026-11-21T10:00:00.000Z' };
const defaults = { currency: 'CNY', timeZone: 'Asia/Shanghai' };
const block = { merchants: [], categories: [] };

function form(change: (f: MandateFields) => void): MandateFields {
  const fields = fieldsFromMandate(null, defaults);
  change(fields);
  return fields;
}

describe('buildMandate', () => {
  it.each<[string, MandateFields, unknown]>([
    ['confirm each', form(() => {}), { v: 1, ...ids, kind: 'confirm_each', block }],
    ['quota with everything', form((f) => {
      f.kind = 'quota';
      f.quota = { budget: '1000', currency: 'cny', period: 'week', timeZone: 'Asia/Shanghai', maxPerPayment: '300.5', categories: 'groceries, food', merchants: 'mer_a mer_b' };
    }), {
      v: 1, ...ids, kind: 'quota', block, budget: { minor: 100000, currency: 'CNY' }, period: 'week', timeZone: 'Asia/Shanghai',
      maxPerPaymentMinor: 30050, categories: ['groceries', 'food'], merchants: ['mer_a', 'mer_b'],
    }],
    ['quota, only a budget', form((f) => {
      f.kind = 'quota';
      f.quota.budget = '5000';
      f.quota.currency = 'JPY';
    }), { v: 1, ...ids, kind: 'quota', block, budget: { minor: 5000, currency: 'JPY' }, period: 'month', timeZone: 'Asia/Shanghai' }],
    ['two rules', form((f) => {
      f.kind = 'rules';
      f.rules = [
        { ...emptyRule(0, 'CNY'), description: 'shop', maxPerPayment: '200', categories: 'physical goods', merchants: 'mer_a' },
        { ...emptyRule(1, 'USD'), maxPerPayment: '9.99' },
      ];
    }), {
      v: 1, ...ids, kind: 'rules', block, rules: [
        { id: 'rule-1', description: 'shop', currency: 'CNY', maxPerPaymentMinor: 20000, merchants: { allow: ['mer_a'] }, categories: { allow: ['physical_goods'] } },
        { id: 'rule-2', currency: 'USD', maxPerPaymentMinor: 999 },
      ],
    }],
  ])('%s', (_name, fields, expected) => {
    expect(buildMandate(fields, ids)).toEqual({ ok: true, mandate: expected });
  });

  it.each<[string, MandateFields, { field: string; message: RegExp }[]]>([
    ['budget too precise', form((f) => {
      f.kind = 'quota';
      f.quota = { ...f.quota, budget: '1.234', currency: 'USD' };
    }), [{ field: 'Budget', message: /USD has 2 decimal places/ }]],
    ['missing budget and bad category', form((f) => {
      f.kind = 'quota';
      f.quota.categories = 'groceries, shoes';
    }), [{ field: 'Budget', message: /enter an amount/ }, { field: 'Categories', message: /unknown shoes; choose from physical_goods/ }]],
    ['bad time zone', form((f) => {
      f.kind = 'quota';
      f.quota = { ...f.quota, budget: '10', timeZone: 'Mars/Olympus' };
    }), [{ field: 'Time zone', message: /not an IANA time zone/ }]],
    ['rule without max', form((f) => {
      f.kind = 'rules';
    }), [{ field: 'Rule 1 · Max per payment', message: /enter an amount/ }]],
    ['no rules', form((f) => {
      f.kind = 'rules';
      f.rules = [];
    }), [{ field: 'Rules', message: /at least one rule/ }]],
    ['zod names a bad currency', form((f) => {
      f.kind = 'quota';
      f.quota = { ...f.quota, budget: '10', currency: 'C1Y' };
    }), [{ field: 'Budget', message: /not a currency code/ }]],
  ])('refuses %s', (_name, fields, expected) => {
    const built = buildMandate(fields, ids);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.errors).toEqual(expected.map((e) => ({ field: e.field, message: expect.stringMatching(e.message) })));
  });

  it('shows zod messages for what the form did not catch', () => {
    const built = buildMandate(form(() => {}), { ...ids, issuedAt: 'yesterday' });
    expect(built).toEqual({ ok: false, errors: [{ field: 'issuedAt', message: expect.any(String) }] });
  });
});

describe('fieldsFromMandate round trip', () => {
  const documents: unknown[] = [
    { v: 1, ...ids, kind: 'confirm_each', block: { merchants: ['mer_bad'], categories: ['travel'] } },
    { v: 1, ...ids, kind: 'quota', block, budget: { minor: 123456, currency: 'CNY' }, period: 'day', timeZone: 'Europe/Berlin', maxPerPaymentMinor: 5, categories: ['food'], merchants: ['mer_a'] },
    { v: 1, ...ids, kind: 'rules', block, rules: [{
      id: 'gates', currency: 'CNY', maxPerPaymentMinor: 5000, categories: { allow: ['parking', 'tolls'], deny: ['fuel'] }, merchants: { deny: ['mer_x'] },
      whileDriving: true, timeWindow: { days: [1, 2], start: '07:00', end: '20:00', timeZone: 'Asia/Shanghai' },
    }] },
  ];
  it.each(documents.map((d) => [(d as { kind: string }).kind, d]))('%s keeps everything, edited or not', (_kind, document) => {
    const doc = MandateDocument.parse(document);
    expect(buildMandate(fieldsFromMandate(doc, defaults), ids)).toEqual({ ok: true, mandate: doc });
  });
});
