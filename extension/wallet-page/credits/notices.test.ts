import type { TopUp } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { applyCreditEvent, type CreditNotice, noticeIsAlert, noticeText } from './notices.ts';

const CNY = (minor: number) => ({ minor, currency: 'CNY' });
const topUp = (status: TopUp['status'], extra: Partial<TopUp> = {}): TopUp => ({
  id: 'tup_1', vendorId: 'mer_v', accountId: 'cra_1', agent: { id: 'agt_1', name: 'Shopping agent' }, amount: CNY(10_00), automatic: true,
  status, intentId: 'int_1', reason: null, createdAt: '2026-05-10T10:00:00Z', ...extra,
});
const low = { event: 'credits.low', data: JSON.stringify({ accountId: 'cra_1', vendorId: 'mer_v', balance: CNY(4_00), threshold: CNY(5_00), topUpId: 'tup_1' }) };
const moved = (t: TopUp) => ({ event: 'credits.top_up', data: JSON.stringify({ actorId: t.agent.id, topUp: t }) });

describe('credit notices from the event stream', () => {
  it('follows one automatic top-up from the low balance to its end, in one notice', () => {
    let notices: readonly CreditNotice[] = applyCreditEvent([], low);
    expect(noticeText(notices[0]!, 'Tea AI')).toBe('Your credits at Tea AI fell to 4.00 CNY, below the 5.00 CNY you set: an automatic top-up has started.');
    notices = applyCreditEvent(notices, moved(topUp('held')));
    expect(notices).toHaveLength(1);
    expect(noticeText(notices[0]!, 'Tea AI')).toBe(
      'Your credits at Tea AI fell to 4.00 CNY, below the 5.00 CNY you set: the automatic top-up of 10.00 CNY by Shopping agent is waiting for your approval in the AgentPay window.');
    notices = applyCreditEvent(notices, moved(topUp('failed', { reason: 'agent agt_1 is paused' })));
    expect(noticeIsAlert(notices[0]!)).toBe(true);
    expect(noticeText(notices[0]!, 'Tea AI')).toBe(
      'Your credits at Tea AI fell to 4.00 CNY, below the 5.00 CNY you set, and the automatic top-up of 10.00 CNY by Shopping agent failed: agent agt_1 is paused.');
  });

  it('says a paid one plainly, newest first', () => {
    const first = applyCreditEvent([], moved(topUp('paid')));
    expect(noticeIsAlert(first[0]!)).toBe(false);
    expect(noticeText(first[0]!, 'Tea AI')).toBe('Your credits at Tea AI fell below the threshold you set: Shopping agent bought 10.00 CNY more automatically.');
    const both = applyCreditEvent(first, moved(topUp('failed', { id: 'tup_2', reason: 'declined: over budget' })));
    expect(both.map((n) => n.topUpId)).toEqual(['tup_2', 'tup_1']);
  });

  it("leaves out an agent's own top-ups, other events and what it cannot read", () => {
    expect(applyCreditEvent([], moved(topUp('failed', { automatic: false })))).toEqual([]);
    expect(applyCreditEvent([], { event: 'intent.updated', data: '{}' })).toEqual([]);
    expect(applyCreditEvent([], { event: 'credits.low', data: 'not json' })).toEqual([]);
    expect(applyCreditEvent([], { event: 'credits.low', data: '{"accountId":1}' })).toEqual([]);
  });
});
