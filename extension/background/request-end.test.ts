import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { type PendingCheckout, read, write } from '../shared/state.ts';
import { liveRequests, timeLeft } from '../shared/waiting.ts';
import { checkoutTabGone, expireRequest, sweepStaleRequests } from './request-end.ts';

/** What the checkouts' pages were told (the fake browser has no content scripts to tell). */
let toldPages: unknown[] = [];
beforeEach(() => {
  fakeBrowser.reset();
  toldPages = [];
  vi.spyOn(browser.tabs, 'sendMessage').mockImplementation(async (_tabId: number, message: unknown) => void toldPages.push(message));
});

function held(intentId: string, tabId: number, expiresInMs: number): PendingCheckout {
  return {
    checkoutId: `c_${intentId}`, intentId, shape: 'card-form', tabId, frameId: 0, origin: 'https://shop.example', cardSentTo: null, cardOrigins: [],
    agentName: 'Browser automation', actorId: 'act_1', description: 'Order 1', notify: null, createdAt: new Date().toISOString(),
    confirmation: {
      intentId, actorName: 'Browser automation',
      merchant: { id: 'mer_1', name: 'Demo Tea Shop', origins: ['https://shop.example'], provenOrigins: ['https://shop.example'], lookalikes: [] },
      claims: { type: 'agentpay.approval.v1', intentId, merchantId: 'mer_1', amount: { minor: 58_00, currency: 'CNY' }, lineItems: [], category: 'physical_goods' },
      reasons: [], risk: [], mandateId: null, expiresAt: new Date(Date.now() + expiresInMs).toISOString(), stepUp: false,
    },
  };
}

/** The badge as the user sees it. */
const badge = () => (browser.action ?? browser.browserAction).getBadgeText({});

describe('requests leave the queue when nobody can answer them any more', () => {
  it('counts only live requests, and says the time left as "m:ss left"', () => {
    const list = [held('int_live', 1, 60_000), held('int_old', 1, -1)];
    expect(liveRequests(list, []).pending.map((p) => p.intentId)).toEqual(['int_live']);
    expect(timeLeft(new Date(Date.now() + 272_400).toISOString()).words).toBe('4:33 left');
    expect(timeLeft(new Date(Date.now() - 5_000).toISOString()).words).toBe('0:00 left');
  });

  it('an expired request leaves the queue as "Expired: nothing was paid"; one not yet due stays', async () => {
    await write('pending', [held('int_due', 1, -1), held('int_later', 1, 60_000)]);
    await expireRequest('int_due');
    await expireRequest('int_later');
    expect((await read('pending')).map((p) => p.intentId)).toEqual(['int_later']);
    expect(await read('outcomes')).toMatchObject([{ id: 'int_due', state: 'expired', sentence: expect.stringMatching(/^Expired: nothing was paid\./), moneyMoved: false }]);
    expect(await badge()).toBe('1');
    expect(toldPages).toMatchObject([{ type: 'checkout.settled', checkoutId: 'c_int_due', result: { ok: false, error: { code: 'expired', message: expect.stringContaining('nothing was paid') } } }]);
  });

  it('a closed tab ends its requests with that sentence, and only those', async () => {
    await write('pending', [held('int_a', 7, 60_000), held('int_b', 8, 60_000)]);
    await checkoutTabGone(7);
    expect((await read('pending')).map((p) => p.intentId)).toEqual(['int_b']);
    expect(await read('outcomes')).toMatchObject([{ id: 'int_a', state: 'cancelled', sentence: "The checkout's tab was closed; nothing was paid." }]);
  });

  it('on start, clears expired requests and those whose tab is gone; after a browser restart, all of them', async () => {
    const tab = await browser.tabs.create({ url: 'https://shop.example/' });
    await write('pending', [held('int_expired', tab.id!, -1), held('int_no_tab', 424242, 60_000), held('int_open', tab.id!, 60_000)]);
    await sweepStaleRequests();
    expect((await read('pending')).map((p) => p.intentId)).toEqual(['int_open']);
    expect(await badge()).toBe('1');
    await sweepStaleRequests({ browserStarted: true });
    expect(await read('pending')).toEqual([]);
    expect((await read('outcomes')).map((o) => [o.id, o.state])).toEqual([['int_expired', 'expired'], ['int_no_tab', 'cancelled'], ['int_open', 'cancelled']]);
    expect(await badge()).toBe('');
  });
});
