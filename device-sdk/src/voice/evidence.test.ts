import { IntentRequest } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_LENGTH, voiceEvidence } from './evidence.ts';
import { sayPayment } from './read-back.ts';
import { understand } from './understand.ts';

const at = new Date('2025-06-01T08:30:00.000Z');

describe('voiceEvidence', () => {
  it.each([
    ['给茶叶店付三十五元', '好的，确认', 'zh'],
    ['pay 35 yuan to the tea shop', 'yes, confirm', 'en'],
  ] as const)('records %j confirmed by %j', (asked, answered, lang) => {
    const request = understand(asked);
    const readBack = sayPayment({ amount: { minor: 3500, currency: 'CNY' }, payee: lang === 'zh' ? '茶叶店' : 'the tea shop' }, lang);
    const evidence = voiceEvidence({ request, confirmation: understand(answered), readBack, at });
    expect(evidence).toEqual({
      'voice.request': asked,
      'voice.readBack': readBack,
      'voice.confirmation': answered,
      'voice.lang': lang,
      'voice.confirmedAt': '2025-06-01T08:30:00.000Z',
    });
    // The relay takes it as it is.
    const intent = IntentRequest.safeParse({
      merchantId: 'mer_tea', amount: { minor: 3500, currency: 'CNY' }, category: 'food', channel: 'device-voice', evidence,
    });
    expect(intent.success).toBe(true);
  });

  it.each([
    ['a'.repeat(5000), 'a'.repeat(MAX_EVIDENCE_LENGTH - 1) + '…'],
    ['付'.repeat(2000), '付'.repeat(2000)],
    ['付'.repeat(2001), '付'.repeat(MAX_EVIDENCE_LENGTH - 1) + '…'],
    // A character outside the BMP is two UTF-16 units; the cut never leaves half of one.
    ['aa' + '💳'.repeat(1500), 'aa' + '💳'.repeat(998) + '…'],
    ['💳'.repeat(1500), '💳'.repeat(999) + '…'],
  ])('fits a long read-back within the relay\'s limit (%#)', (readBack, kept) => {
    const evidence = voiceEvidence({ request: understand('pay the toll'), confirmation: understand('confirm'), readBack, at });
    expect(evidence['voice.readBack']).toBe(kept);
    expect(evidence['voice.readBack']!.length).toBeLessThanOrEqual(MAX_EVIDENCE_LENGTH);
    expect(evidence['voice.readBack']).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it.each([
    ['the answer is a cancel', { request: understand('pay the toll'), confirmation: understand('cancel') }],
    ['the answer was not understood', { request: understand('pay the toll'), confirmation: understand('play music') }],
    ['the request is no request to pay', { request: understand('confirm'), confirmation: understand('confirm') }],
    ['no read-back', { request: understand('pay the toll'), confirmation: understand('confirm'), readBack: ' ' }],
    ['an invalid time', { request: understand('pay the toll'), confirmation: understand('confirm'), at: new Date('nope') }],
  ])('refuses when %s: that is no evidence of consent', (_case, parts) => {
    expect(() => voiceEvidence({ readBack: 'About to pay…', at, ...parts } as Parameters<typeof voiceEvidence>[0])).toThrow(TypeError);
  });
});
