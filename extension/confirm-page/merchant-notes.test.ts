import { describe, expect, it } from 'vitest';
import { PendingCheckout } from '../shared/state.ts';
import { merchantNotes } from './merchant-notes.ts';

/** A held checkout at `origin` as the relay describes it (parsed as the extension stores it). */
function checkout(origin: string, merchant: Record<string, unknown>) {
  return PendingCheckout.parse({
    checkoutId: 'chk_1', intentId: 'int_1', shape: 'card-form', tabId: 1, frameId: 0, origin, agentName: 'Agent', actorId: 'act_1',
    confirmation: {
      intentId: 'int_1', actorName: 'Agent',
      merchant: { id: 'mer_copy', name: 'Dеmо Tea Shop', origins: [], ...merchant },
      claims: { type: 'agentpay.approval.v1', intentId: 'int_1', merchantId: 'mer_copy', amount: { minor: 100, currency: 'CNY' }, lineItems: [], category: 'other' },
      reasons: [], risk: [], mandateId: null, expiresAt: '2026-11-21T10:05:00Z',
    },
    description: null, notify: null, createdAt: '2026-11-21T10:00:00Z',
  });
}

describe('what the confirmation window says about the merchant', () => {
  it('shows the site first and warns when the name imitates an established merchant, naming its sites', () => {
    const notes = merchantNotes(checkout('https://dem0-tea.example', {
      origins: ['https://dem0-tea.example'], provenOrigins: ['https://dem0-tea.example'],
      lookalikes: [{ id: 'mer_real', name: 'Demo Tea Shop', provenOrigins: ['http://127.0.0.1:8788'] }],
    }));
    expect(notes.site).toBe('https://dem0-tea.example');
    expect(notes.siteProven).toBe(true);
    expect(notes.warnings).toEqual([{
      code: 'lookalike_name',
      text: '"Dеmо Tea Shop" looks like the name of another merchant, "Demo Tea Shop" at http://127.0.0.1:8788. Make sure you mean to pay this one.',
    }]);
  });

  it('warns when the merchant only claims the site it is paid at', () => {
    const notes = merchantNotes(checkout('http://127.0.0.1:8788', { origins: ['http://127.0.0.1:8788'], provenOrigins: [] }));
    expect(notes.siteProven).toBe(false);
    expect(notes.warnings).toEqual([{
      code: 'origin_unproven', text: 'http://127.0.0.1:8788 is not a site "Dеmо Tea Shop" has proven as its own: it has proven no site at all.',
    }]);
  });

  it('says nothing more for a merchant paid at a site it proved, with a name of its own', () => {
    const notes = merchantNotes(checkout('http://127.0.0.1:8788', { name: 'Demo Tea Shop', provenOrigins: ['http://127.0.0.1:8788'], lookalikes: [] }));
    expect(notes).toEqual({ site: 'http://127.0.0.1:8788', siteProven: true, warnings: [] });
  });
});
