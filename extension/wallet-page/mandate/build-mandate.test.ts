import { MandateDocument } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { buildMandate } from './build-mandate.ts';
import { emptyRule, fieldsFromMandate, type MandateFields, type RuleFields } from './fields.ts';

const ids = { walletId: 'wal_1', actorId: 'agt_1', issuedAt: '2026-11-21T10:00:00.000Z' };
const defaults = { currency: 'CNY', timeZone: 'Asia/Shanghai' };
const block = { merchants: [], categories: [] };

function form(change: (f: MandateFields) => void): MandateFields {
  const fields = fieldsFromMandate(null, defaults);
  change(fields);
  return fields;
}
const rule = (index: number, change: Partial<RuleFields>): RuleFields => ({ ...emptyRule(index, defaults), ...change });

describe('buildMandate', () => {
  it.each<[string, MandateFields, unknown]>([
    ['confirm each', form(() => {}), { v: 1, ...ids, kind: 'confirm_each', block }],
    ['confirm each with blocks', form((f) => {
      f.block = { merchants: ['mer_bet'], categories: ['travel'] };
    }), { v: 1, ...ids, kind: 'confirm_each', block: { merchants: ['mer_bet'], categories: ['travel'] } }],
    ['quota with everything', form((f) => {
      f.kind = 'quota';
      f.quota = { budget: '1000', currency: 'cny', period: 'week', timeZone: 'Asia/Shanghai', maxPerPayment: '300.5', categories: ['groceries', 'food'], merchants: ['mer_a', 'mer_b'] };
    }), {
      v: 1, ...ids, kind: 'quota', block, budget: { minor: 100000, currency: 'CNY' }, period: 'week', timeZone: 'Asia/Shanghai',
      maxPerPaymentMinor: 30050, categories: ['groceries', 'food'], merchants: ['mer_a', 'mer_b'],
    }],
    ['quota in the browser’s time zone by default', form((f) => {
      f.kind = 'quota';
      f.quota.budget = '5000';
      f.quota.currency = 'JPY';
    }), { v: 1, ...ids, kind: 'quota', block, budget: { minor: 5000, currency: 'JPY' }, period: 'month', timeZone: 'Asia/Shanghai' }],
    ['every rule kind', form((f) => {
      f.kind = 'rules';
      f.rules = [
        rule(0, {
          description: 'shop', maxPerPayment: '200', merchants: { mode: 'only', picked: ['mer_a'] }, categories: { mode: 'except', picked: ['travel'] },
          channels: ['device-voice'], whileDriving: true, timeWindow: { on: true, days: [5, 1], start: '07:00', end: '20:00', timeZone: 'Europe/Berlin' },
        }),
        rule(1, { maxPerPayment: '9.99', currency: 'USD', merchants: { mode: 'except', picked: ['mer_x'] }, categories: { mode: 'only', picked: ['parking'] } }),
      ];
    }), {
      v: 1, ...ids, kind: 'rules', block, rules: [
        {
          id: 'rule-1', description: 'shop', currency: 'CNY', maxPerPaymentMinor: 20000, merchants: { allow: ['mer_a'] }, categories: { deny: ['travel'] },
          channels: ['device-voice'], timeWindow: { days: [1, 5], start: '07:00', end: '20:00', timeZone: 'Europe/Berlin' }, whileDriving: true,
        },
        { id: 'rule-2', currency: 'USD', maxPerPaymentMinor: 999, merchants: { deny: ['mer_x'] }, categories: { allow: ['parking'] } },
      ],
    }],
    ['a time window every day', form((f) => {
      f.kind = 'rules';
      f.rules = [rule(0, { maxPerPayment: '5', timeWindow: { on: true, days: [], start: '22:00', end: '06:00', timeZone: 'Asia/Shanghai' } })];
    }), { v: 1, ...ids, kind: 'rules', block, rules: [{ id: 'rule-1', currency: 'CNY', maxPerPaymentMinor: 500, timeWindow: { start: '22:00', end: '06:00', timeZone: 'Asia/Shanghai' } }] }],
  ])('%s', (_name, fields, expected) => {
    expect(buildMandate(fields, ids)).toEqual({ ok: true, mandate: expected });
  });

  it.each<[string, MandateFields, { key: string; message: string }[]]>([
    ['a budget too precise', form((f) => {
      f.kind = 'quota';
      f.quota = { ...f.quota, budget: '1.234', currency: 'USD' };
    }), [{ key: 'quota.budget', message: 'USD has 2 decimal places; 1.234 has 3.' }]],
    ['no budget and a time zone nobody has', form((f) => {
      f.kind = 'quota';
      f.quota.timeZone = 'Mars/Olympus';
    }), [
      { key: 'quota.budget', message: 'Enter an amount.' },
      { key: 'quota.timeZone', message: '“Mars/Olympus” is not a time zone; pick one from the list, such as Asia/Shanghai.' },
    ]],
    ['a currency that is not one, said once beside it', form((f) => {
      f.kind = 'quota';
      f.quota = { ...f.quota, budget: '10', maxPerPayment: '5', currency: 'C1Y' };
    }), [{ key: 'quota.currency', message: '“C1Y” is not a currency code; use three letters such as CNY or USD.' }]],
    ['a rule without its max', form((f) => {
      f.kind = 'rules';
    }), [{ key: 'rules.0.maxPerPayment', message: 'Enter an amount.' }]],
    ['“only these” with nothing ticked', form((f) => {
      f.kind = 'rules';
      f.rules = [rule(0, { maxPerPayment: '1', merchants: { mode: 'only', picked: [] }, categories: { mode: 'except', picked: [] } })];
    }), [
      { key: 'rules.0.merchants', message: 'Tick at least one merchant, or choose “Any merchant”.' },
      { key: 'rules.0.categories', message: 'Tick at least one category, or choose “Any category”.' },
    ]],
    ['a time window that never opens', form((f) => {
      f.kind = 'rules';
      f.rules = [rule(0, { maxPerPayment: '1', timeWindow: { on: true, days: [], start: '09:00', end: '09:00', timeZone: 'Asia/Shanghai' } })];
    }), [{ key: 'rules.0.timeWindow.end', message: expect.stringMatching(/^The rule would never apply/) }]],
    ['a time window without times', form((f) => {
      f.kind = 'rules';
      f.rules = [rule(0, { maxPerPayment: '1', timeWindow: { on: true, days: [], start: '', end: '', timeZone: 'Asia/Shanghai' } })];
    }), [
      { key: 'rules.0.timeWindow.start', message: 'Enter the time the rule starts to apply, such as 09:00.' },
      { key: 'rules.0.timeWindow.end', message: 'Enter the time the rule stops applying, such as 18:00.' },
    ]],
    ['no rules', form((f) => {
      f.kind = 'rules';
      f.rules = [];
    }), [{ key: 'rules', message: 'Add at least one rule.' }]],
  ])('refuses %s, beside the field', (_name, fields, expected) => {
    expect(buildMandate(fields, ids)).toEqual({ ok: false, errors: expected });
  });

  it('shows the schema’s own messages for what the form did not catch', () => {
    const built = buildMandate(form(() => {}), { ...ids, issuedAt: 'yesterday' });
    expect(built).toEqual({ ok: false, errors: [{ key: 'issuedAt', message: expect.stringMatching(/\.$/) }] });
  });
});

describe('fieldsFromMandate round trip', () => {
  const documents: unknown[] = [
    { v: 1, ...ids, kind: 'confirm_each', block: { merchants: ['mer_bad'], categories: ['travel'] } },
    { v: 1, ...ids, kind: 'quota', block, budget: { minor: 123456, currency: 'CNY' }, period: 'day', timeZone: 'Europe/Berlin', maxPerPaymentMinor: 5, categories: ['food'], merchants: ['mer_a'] },
    { v: 1, ...ids, kind: 'rules', block, rules: [{
      id: 'gates', description: 'gates', currency: 'CNY', maxPerPaymentMinor: 5000, categories: { allow: ['parking', 'tolls'], deny: ['fuel'] }, merchants: { deny: ['mer_x'] },
      channels: ['api', 'device-scan'], whileDriving: true, timeWindow: { days: [1, 2], start: '07:00', end: '20:00', timeZone: 'Asia/Shanghai' },
    }, { id: 'other', currency: 'USD', maxPerPaymentMinor: 1, merchants: { allow: ['mer_a'], deny: ['mer_b'] } }] },
  ];
  it.each(documents.map((d) => [(d as { kind: string }).kind, d]))('%s keeps everything, edited or not', (_kind, document) => {
    const doc = MandateDocument.parse(document);
    expect(buildMandate(fieldsFromMandate(doc, defaults), ids)).toEqual({ ok: true, mandate: doc });
  });
});
