import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_CARD, agentPays, fieldFrames, open, startSystemWithWeb, typeCard, windowOrNotice } from './real-web-agent.ts';
import { closeTab, type System } from './system.ts';
import { assertNothingPaid, chargesFor } from './web/assertions.ts';
import type { Web } from './web/index.ts';

/**
 * A person's own checkout on the test web (e2e/web), in a browser no
 * automation drives: the extension leaves it alone, and the card the person
 * typed reaches the shop as they meant it to (here the test card network
 * declines it: it is no token's card).
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb({ automated: false }));
});
afterAll(() => close?.());

it("a person's checkout is left alone: their card reaches the shop and no window asks", async () => {
  const { page, info, since } = await open(system, web, 'classic-autocomplete');
  try {
    // The person's own card (the same test number the agents carry).
    await typeCard({ name: page.getByLabel('Name on card'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry date (MM/YY)'), cvc: page.getByLabel('Security code') });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Payment failed' }).waitFor({ timeout: 20_000 });
    expect(web.ledger.cards.slice(since.cards).map((card) => card.number)).toContain(AGENT_CARD.number);
    expect(chargesFor(web.ledger, info.id, since).map((c) => 'card' in c.with && c.with.card)).toEqual([AGENT_CARD.number]);
    assertNothingPaid(web.ledger, info.id, since);
    expect(await windowOrNotice(system, page)).toBeNull();
  } finally {
    await closeTab(page);
  }
});

it("a tab the person hands to an agent holds a provider's card fields in their cross-site frames, and pays with the token", async () => {
  const opened = await open(system, web, 'hosted-fields-fetch');
  try {
    // What the toolbar menu's "Hand to agent" sends (e2e/people-and-handed-tabs.test.ts does the same).
    const menu = await system.browser.context.newPage();
    await menu.goto(system.browser.url('popup.html'));
    const url = opened.page.url();
    await menu.evaluate(async (url) => {
      const chrome = (globalThis as any).chrome;
      const [tab] = await chrome.tabs.query({ url });
      return chrome.runtime.sendMessage({ type: 'tab.hand', tabId: tab.id, agentName: 'Research agent' });
    }, url);
    await closeTab(menu);
    await agentPays(system, web, opened, async () => {
      const frames = fieldFrames(opened.page);
      await typeCard({ number: frames.number.locator('input'), expiry: frames.expiry.locator('input'), cvc: frames.cvc.locator('input') });
      await opened.page.getByRole('button', { name: 'Pay $58.00' }).click();
    });
  } finally {
    await closeTab(opened.page);
  }
});
