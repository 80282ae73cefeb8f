import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAgentCardReachedNoServer, assertPaidOnceWithToken, chargesFor } from '../web/assertions.ts';
import { startWeb, type Web } from '../web/index.ts';
import { AGENT_CARD } from '../web/ledger.ts';
import { answerInWindow, type FirefoxSystem, shownInWindow, startFirefoxSystem } from './system.ts';

/**
 * Checkouts of the test web (e2e/web) in stock Firefox: a payment provider's
 * hosted fields in cross-site frames, a single-page checkout posting JSON by
 * fetch, and a web component's form in a shadow root. The same claims as in
 * Chromium: the window shows the shop and amount, the agent's card reaches no
 * server, the shop is paid once with the token's card.
 */
let system: FirefoxSystem;
let web: Web;
beforeAll(async () => {
  system = await startFirefoxSystem();
  web = await startWeb({ relayUrl: system.relay.httpUrl });
});
afterAll(async () => {
  await web?.close();
  await system?.close();
});

/**
 * An element found as an agent finds it, by its role and accessible name, in open shadow roots too.
 * Puppeteer's bare `::-p-aria(name)` also matches a `<label>` of that text in Firefox (so `fill` waits
 * on the label for ever) and does not look into shadow roots; the role and `>>>` take care of both.
 */
const aria = (role: 'textbox' | 'button', name: string) => `>>> ::-p-aria([name=${JSON.stringify(name)}][role="${role}"])`;

/** Types the agent's card into the fields `where` finds by their labels. */
async function typeInto(where: Page | Frame, labels: { number: string; expiry: string; cvc: string }): Promise<void> {
  await where.locator(aria('textbox', labels.number)).fill(AGENT_CARD.number);
  await where.locator(aria('textbox', labels.expiry)).fill(`${AGENT_CARD.expMonth}/${AGENT_CARD.expYear}`);
  await where.locator(aria('textbox', labels.cvc)).fill(AGENT_CARD.cvc);
}

async function frameTitled(page: Page, title: string): Promise<Frame> {
  const element = await page.waitForSelector(`iframe[title="${title}"]`);
  const frame = await element!.contentFrame();
  await frame.waitForSelector('input');
  return frame;
}

async function agentPays(id: string, act: (page: Page) => Promise<void>): Promise<void> {
  const info = web.page(id);
  const since = web.ledger.mark();
  // KNOWN PROBLEM (issue 11 note): in Firefox, a payment arriving in a window that still shows an
  // earlier payment's outcome is never armed. Until that is fixed, each checkout starts with the
  // earlier window closed, as a person who read the outcome would close it.
  for (const tab of await system.firefox.extensionPages('confirm.html')) await tab.close();
  const page = await system.firefox.newPage();
  try {
    await page.goto(info.url);
    await act(page);
    expect(await shownInWindow(system, info.shows!)).toMatchObject({ merchant: info.merchant!.name, origin: info.merchant!.origin });
    await answerInWindow(system, info.shows!, 'Approve');
    await expect.poll(() => chargesFor(web.ledger, id, since).some((c) => c.outcome === 'paid'), { timeout: 20_000 }).toBe(true);
    assertAgentCardReachedNoServer(web.ledger, since);
    assertPaidOnceWithToken(web.ledger, id, since, info.merchant!.name);
  } finally {
    assertAgentCardReachedNoServer(web.ledger, since);
    await page.close();
  }
}

describe('the real-web shapes in Firefox', () => {
  it("a provider's hosted fields, one cross-site frame per field, are paid with the token", () =>
    agentPays('hosted-fields-fetch', async (page) => {
      for (const [field, value] of [
        ['number', AGENT_CARD.number],
        ['expiry', `${AGENT_CARD.expMonth}/${AGENT_CARD.expYear}`],
        ['cvc', AGENT_CARD.cvc],
      ] as const) {
        await (await frameTitled(page, `Secure card ${field} input frame`)).locator('input').fill(value);
      }
      await page.locator('::-p-aria(Pay $58.00)').click();
    }));

  it('a single-page checkout fetching JSON on click is paid with the token', () =>
    agentPays('spa-fetch-json', async (page) => {
      await typeInto(page, { number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' });
      await page.locator(aria('button', 'Pay €189.00')).click();
    }));

  it("a web component's form in a shadow root is paid with the token", () =>
    agentPays('shadow-form-post', async (page) => {
      await typeInto(page, { number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' });
      await page.locator(aria('button', 'Complete purchase')).click();
    }));
});
