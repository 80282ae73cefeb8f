import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { read, write } from '../shared/state.ts';
import { asksEveryTime, CHECKING_STALE_MS, checkingFailed, dropStaleChecks, forgetDecision, rememberDecision, startChecking, stopChecking } from './early-window.ts';

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks(); // each test counts its own windows
  // The fake browser has no windows API: a created window is all the window code needs.
  vi.spyOn(browser.windows, 'create').mockImplementation(async () => ({ id: 7 }) as never);
});

const decision = (status: string, ...codes: string[]) => ({ status, decision: { outcome: 'confirm', reasons: codes.map((code) => ({ code, message: code })), risk: [] } }) as never;

describe('which agents get the window while the relay decides', () => {
  it.each([
    ['no mandate', decision('pending_confirmation', 'no_mandate'), true],
    ['a mandate that confirms each payment', decision('pending_confirmation', 'confirm_each'), true],
    ['held by a budget rule (over it)', decision('pending_confirmation', 'over_budget'), false],
    ['approved by its budget', decision('approved', 'within_budget'), false],
    ['declined by its mandate', decision('declined', 'merchant_blocked'), false],
  ])('after a payment %s: %s', async (_, intent, early) => {
    await write('agents', { Shopper: { actorId: 'act_1' } });
    await rememberDecision('Shopper', intent);
    expect(await asksEveryTime('Shopper')).toBe(early);
  });

  it('an agent not registered yet (its name may be only a page\'s) does not; a mandate edit makes the next decision tell again', async () => {
    expect(await asksEveryTime('Never seen')).toBe(false);
    await write('agents', { Shopper: { actorId: 'act_1', asksEveryTime: false } });
    await forgetDecision('act_1');
    expect(await read('agents')).toEqual({ Shopper: { actorId: 'act_1' } });
  });
});

describe('the checkout shown as being checked', () => {
  it('opens the window with it, and lets it go once the relay has decided', async () => {
    await startChecking({ checkoutId: 'c1', agentName: 'Shopper', origin: 'https://shop.example', amount: { minor: 12_800, currency: 'CNY' } });
    expect(browser.windows.create).toHaveBeenCalledTimes(1);
    expect((await read('checking')).map((c) => c.checkoutId)).toEqual(['c1']);
    await stopChecking('c1');
    expect(await read('checking')).toEqual([]);
  });

  it('a failure before the relay held it becomes what the window says, with nothing paid', async () => {
    await startChecking({ checkoutId: 'c2', agentName: 'Shopper', origin: 'https://shop.example', amount: null });
    await checkingFailed('c2', { code: 'intent_failed', message: 'the relay could not be reached; nothing was paid' });
    expect(await read('checking')).toEqual([]);
    const [outcome] = await read('outcomes');
    // Its id is never one a payment's outcome has: the checkout id is the page's choice (an intent id, even).
    expect(outcome).toMatchObject({ id: 'checkout:c2', checkoutId: 'c2', merchantName: 'shop.example', state: 'failed', moneyMoved: false });
    expect(outcome!.sentence).toContain('nothing was paid');
  });

  it('a check a stopped worker never finished is dropped after a while, a fresh one stays', async () => {
    const now = Date.now();
    await write('checking', [
      { checkoutId: 'old', agentName: 'Shopper', origin: 'https://shop.example', amount: null, startedAt: new Date(now - CHECKING_STALE_MS - 1).toISOString() },
      { checkoutId: 'new', agentName: 'Shopper', origin: 'https://shop.example', amount: null, startedAt: new Date(now - 1000).toISOString() },
    ]);
    await dropStaleChecks(now);
    expect((await read('checking')).map((c) => c.checkoutId)).toEqual(['new']);
  });
});
