/**
 * The browser agent's side on the test web (e2e/web), with Playwright: open a
 * page in a fresh tab, type the agent's card as an agent would, approve in
 * the extension's window, and the checks that read the window. The ledger
 * checks are in e2e/web/assertions.ts, shared with the Firefox harness.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { assertAgentCardReachedNoServer, assertPaidOnceWithToken, chargesFor, type Mark } from './web/assertions.ts';
import { AGENT_CARD, type PageInfo, startWeb, type Web } from './web/index.ts';
import { answerInWindow, confirmationFor, type System, startSystem, closeTab } from './system.ts';

export { AGENT_CARD };

/** One system (relay, demo shop, Chromium with the extension) and the test web registered with its relay. */
export async function startSystemWithWeb(options: Parameters<typeof startSystem>[0] = {}): Promise<{ system: System; web: Web; close(): Promise<void> }> {
  const system = await startSystem(options);
  const web = await startWeb({ relayUrl: system.relay.httpUrl }).catch(async (error: unknown) => {
    await system.close();
    throw error;
  });
  return { system, web, close: async () => { await system.close(); await web.close(); } };
}

/** A fresh tab on the page, and the ledger's mark before it loaded. */
export async function open(system: System, web: Web, id: string): Promise<{ page: Page; info: PageInfo; since: Mark }> {
  const info = web.page(id);
  const since = web.ledger.mark();
  const page = await system.browser.context.newPage();
  await page.goto(info.url);
  return { page, info, since };
}

/** Types the agent's card into a number/expiry/CVC trio, wherever they are (page, frame). */
export async function typeCard(fields: { number: Locator; expiry?: Locator; cvc: Locator; name?: Locator }, expiry = `${AGENT_CARD.expMonth}/${AGENT_CARD.expYear}`): Promise<void> {
  await fields.name?.fill(AGENT_CARD.name);
  await fields.number.fill(AGENT_CARD.number);
  await fields.expiry?.fill(expiry);
  await fields.cvc.fill(AGENT_CARD.cvc);
}

/** The three provider frames of a hosted-fields page, as an agent finds them by their titles. */
export function fieldFrames(page: Page): { number: FrameLocator; expiry: FrameLocator; cvc: FrameLocator } {
  return {
    number: page.frameLocator('iframe[title="Secure card number input frame"]'),
    expiry: page.frameLocator('iframe[title="Secure card expiry input frame"]'),
    cvc: page.frameLocator('iframe[title="Secure card cvc input frame"]'),
  };
}

/** The window shows the page's merchant (name and origin) and amount; then the user approves. */
export async function approveShown(system: System, info: PageInfo): Promise<void> {
  if (!info.shows || !info.merchant) throw new Error(`${info.id} has no amount or merchant for the window to show`);
  const { request } = await confirmationFor(system, info.shows);
  expect(await request.locator('[data-field="merchant"]').textContent()).toBe(info.merchant.name);
  expect(await request.locator('[data-field="origin"]').textContent()).toBe(info.merchant.origin);
  await answerInWindow(system, info.shows, 'Approve');
}

/**
 * The whole of one test's claim: after the agent's `act` (fill and click Pay),
 * the window shows the right merchant and amount, the user approves, the
 * merchant is paid once with the token, and the agent's card reached no server.
 * A card that leaked is named first: it is the failure that matters most.
 */
export async function agentPays(system: System, web: Web, opened: { page: Page; info: PageInfo; since: Mark }, act: () => Promise<void>): Promise<void> {
  const { info, since } = opened;
  try {
    await act();
    await approveShown(system, info);
    const settled = await until(() => chargesFor(web.ledger, info.id, since).some((c) => c.outcome === 'paid') || leaked(web, since), 20_000);
    if (!settled) throw new Error(`${info.merchant?.name} was not paid for ${info.id} after approval: ${describeCharges(web, info, since)}`);
  } catch (error) {
    assertAgentCardReachedNoServer(web.ledger, since);
    throw error;
  }
  assertAgentCardReachedNoServer(web.ledger, since);
  assertPaidOnceWithToken(web.ledger, info.id, since, info.merchant!.name);
}

/** One page's checkout in a fresh tab: the agent's `act`, then agentPays' claims; the tab is closed either way. */
export async function checkoutOn(system: System, web: Web, id: string, act: (page: Page) => Promise<void>): Promise<void> {
  const opened = await open(system, web, id);
  try {
    await agentPays(system, web, opened, () => act(opened.page));
  } finally {
    await closeTab(opened.page);
  }
}

const leaked = (web: Web, since: Mark) => web.ledger.cards.slice(since.cards).some((card) => card.number === AGENT_CARD.number);
const describeCharges = (web: Web, info: PageInfo, since: Mark) =>
  [...chargesFor(web.ledger, info.id, since).map((c) => `${c.outcome} (${c.detail})`),
    ...web.ledger.refusals.slice(since.refusals).filter((r) => r.pageId === info.id).map((r) => `${r.site}: ${r.reason}`)].join('; ')
  || 'no charge was asked for, and the shop refused no card';

/** Waits for `condition` up to `timeout` ms; false if it never held. */
export async function until(condition: () => boolean | Promise<boolean>, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Boolean(await condition());
}

/** What the extension showed after a checkout it could not simply hold: a confirmation window, a notice on the page, or nothing. */
export async function windowOrNotice(system: System, page: Page): Promise<{ window: string } | { notice: string } | null> {
  for (const candidate of system.browser.context.pages()) {
    if (candidate.isClosed() || !candidate.url().startsWith(system.browser.url('confirm.html'))) continue;
    const heading = await candidate.locator('article h2, article h1').first().textContent({ timeout: 500 }).catch(() => null);
    if (heading) return { window: heading };
  }
  const notice = await page.evaluate(() => document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div')?.textContent?.trim() || null).catch(() => null);
  return notice ? { notice } : null;
}
