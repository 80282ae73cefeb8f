import type { Browser } from 'wxt/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { read, write } from '../shared/state.ts';
import { syncHoldFromStart } from './hold-from-start.ts';
import { route } from './router.ts';

type Sender = Browser.runtime.MessageSender;

/** A content script in a shop's tab: the browser fills in the extension's id, the tab and the page's URL. */
const contentScript = (): Sender => ({
  id: fakeBrowser.runtime.id,
  tab: { id: 12, index: 0, pinned: false, highlighted: false, windowId: 1, active: true, incognito: false, selected: true, discarded: false, autoDiscardable: true, groupId: -1, frozen: false },
  frameId: 0,
  url: 'https://shop.example/checkout',
  origin: 'https://shop.example',
});

/** One of the extension's own pages, e.g. the confirmation window. */
const extensionPage = (path = '/confirm.html'): Sender => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(path) });

const pageCommands = [
  ['confirmation.answered', { type: 'confirmation.answered', intentId: 'int_1', decision: 'approve' }],
  ['agent.create', { type: 'agent.create', name: 'Shopping bot' }],
  ['tab.hand', { type: 'tab.hand', tabId: 12, agentName: 'Shopping bot' }],
] as const;

beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('route: senders that are not the extension’s pages', () => {
  it.each(pageCommands)('a content script cannot send %s', async (_type, command) => {
    const reply = await route(command, contentScript());
    expect(reply.ok).toBe(false);
    expect(await read('handedTabs')).toEqual({});
    expect(await read('agents')).toEqual({});
  });

  it.each([
    ['another extension', { id: 'some-other-extension', url: 'chrome-extension://some-other-extension/page.html' }],
    ['a page of another extension that claims this id', { id: 'some-other-extension', url: fakeBrowser.runtime.getURL('/confirm.html') }],
    ['a web page with this extension’s id (a content script without a tab)', { id: fakeBrowser.runtime.id, url: 'https://shop.example/' }],
    ['a host that merely starts with the extension id', { id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}.evil.example/confirm.html` }],
    ['no sender details at all', {}],
  ] as [string, Sender][])('%s cannot send agent.create', async (_title, sender) => {
    await write('agents', { 'Shopping bot': { actorId: 'act_1' } });
    const reply = await route({ type: 'agent.create', name: 'Shopping bot' }, sender);
    expect(reply.ok).toBe(false);
  });

  it('a content script may ask whether to watch its tab', async () => {
    expect(await route({ type: 'tab.watch?' }, contentScript())).toEqual({ ok: true, value: { watch: false } });
    await write('handedTabs', { '12': 'Shopping bot' });
    expect(await route({ type: 'tab.watch?' }, contentScript())).toEqual({ ok: true, value: { watch: true } });
    await write('handedTabs', {});
    await write('settings', { holdHumanCheckouts: true });
    expect(await route({ type: 'tab.watch?' }, contentScript())).toEqual({ ok: true, value: { watch: true } });
  });

  it('a sender without a tab is refused even for content messages', async () => {
    const reply = await route({ type: 'tab.watch?' }, { id: fakeBrowser.runtime.id, url: 'https://shop.example/' });
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/tabs and extension pages only/) } });
  });

  it('a checkout nobody drives is refused when holding your own checkouts is off', async () => {
    const reply = await route(
      {
        type: 'checkout.begin',
        checkoutId: 'chk_1',
        shape: 'card-form',
        automation: false,
        order: { amount: { minor: 3500, currency: 'CNY' }, lineItems: [], category: 'other', description: 'Tea' },
      },
      contentScript(),
    );
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not driven by an agent/) } });
    expect(await read('pending')).toEqual([]);
  });

  it('malformed messages are refused with ok:false, not thrown', async () => {
    for (const message of [null, 'checkout.begin', { type: 'checkout.begin' }, { type: 'unknown' }]) {
      expect((await route(message, contentScript())).ok).toBe(false);
    }
  });
});

describe('route: the extension’s own pages', () => {
  it('can report an answer (nothing pending: a no-op)', async () => {
    expect(await route({ type: 'confirmation.answered', intentId: 'int_1', decision: 'deny' }, extensionPage())).toEqual({ ok: true, value: null });
  });

  it('can create an agent (a known one is not registered again)', async () => {
    await write('agents', { 'Shopping bot': { actorId: 'act_1' } });
    expect(await route({ type: 'agent.create', name: 'Shopping bot' }, extensionPage('/options.html'))).toEqual({ ok: true, value: { actorId: 'act_1' } });
  });

  it('can hand a tab to an agent: pages then hold from their start, the tab is watched at once and loads again', async () => {
    // The fake browser has no scripting API and no reload: these stand in, recording what was asked, in order.
    const asked: string[] = [];
    const registered: { id: string; js?: string[]; world?: string; runAt?: string; allFrames?: boolean; matchOriginAsFallback?: boolean }[] = [];
    const scripting = {
      getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => registered.filter((s) => ids.includes(s.id))),
      registerContentScripts: vi.fn(async (scripts: typeof registered) => {
        asked.push('register');
        registered.push(...scripts);
      }),
      unregisterContentScripts: vi.fn(async () => {
        asked.push('unregister');
        registered.length = 0;
      }),
      executeScript: vi.fn(async () => {
        asked.push('watch');
        return [];
      }),
    };
    const reload = vi.fn(async () => void asked.push('reload'));
    const stubs = { scripting: fakeBrowser.scripting, reload: fakeBrowser.tabs.reload };
    Object.assign(fakeBrowser, { scripting });
    Object.assign(fakeBrowser.tabs, { reload });
    try {
      expect(await route({ type: 'tab.hand', tabId: 12, agentName: 'Shopping bot' }, extensionPage('/options.html'))).toEqual({ ok: true, value: null });
      expect(await read('handedTabs')).toEqual({ '12': 'Shopping bot' });
      expect(registered).toEqual([
        expect.objectContaining({ id: 'hold-from-start', js: ['/hold-from-start.js'], world: 'MAIN', runAt: 'document_start', allFrames: true, matchOriginAsFallback: true }),
      ]);
      // Registered before the tab loads again (else that load would miss it), and watched before too (else a
      // reload the page refuses would leave it unheld).
      expect(asked).toEqual(['register', 'watch', 'reload']);
      expect(reload).toHaveBeenCalledWith(12);
      // A second tab handed: the script is there already.
      await route({ type: 'tab.hand', tabId: 13, agentName: 'Shopping bot' }, extensionPage('/options.html'));
      expect(scripting.registerContentScripts).toHaveBeenCalledTimes(1);
      // No tab handed any more (closed, or unpaired): the script goes.
      await write('handedTabs', {});
      await syncHoldFromStart();
      expect(registered).toEqual([]);
    } finally {
      Object.assign(fakeBrowser, { scripting: stubs.scripting });
      Object.assign(fakeBrowser.tabs, { reload: stubs.reload });
    }
  });

  it('cannot send what only content scripts send', async () => {
    const reply = await route({ type: 'tab.watch?' }, extensionPage());
    expect(reply.ok).toBe(false);
  });

  it('are validated too', async () => {
    expect((await route({ type: 'agent.create', name: '   ' }, extensionPage())).ok).toBe(false);
    expect((await route({ type: 'confirmation.answered', intentId: 'int_1', decision: 'maybe' }, extensionPage())).ok).toBe(false);
  });
});
