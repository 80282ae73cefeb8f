import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../../e2e/browser.ts';
import type { System } from '../../e2e/system.ts';

/** The same Chromium and quiet flags as e2e/browser.ts, without the extension: the baseline side of every comparison. */
export async function launchPlain(): Promise<{ browser: Browser; context: BrowserContext; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext();
  return { browser, context, close: () => browser.close() };
}

/** Where the floor extension is: it opens an empty window on any form submit (floor/background.js). */
const FLOOR_EXTENSION_DIR = join(import.meta.dirname, 'floor');

/**
 * A Chromium, driven like the agent's, whose only extension opens a window as soon as a form is
 * submitted and draws a static page in it: how soon any extension can put a window in front of the
 * user on this machine, with nothing checked, read or asked for.
 */
export async function launchFloor(): Promise<{ context: BrowserContext; windowUrl: string; close(): Promise<void> }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'agentpay-bench-floor-')), {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--disable-extensions-except=${FLOOR_EXTENSION_DIR}`, `--load-extension=${FLOOR_EXTENSION_DIR}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return { context, windowUrl: `chrome-extension://${new URL(worker.url()).host}/window.html`, close: () => context.close() };
}

/** Fills the shop's card form (#card-form) with a test card, as the agent in e2e/checkout-shapes.test.ts does. */
export async function fillCardForm(page: Page): Promise<void> {
  await page.locator('#card-name').fill('Agent Smith');
  await page.locator('#card-number').fill('4111111111111111');
  await page.locator('#card-exp').fill('12/30');
  await page.locator('#card-csc').fill('123');
}

/**
 * The confirmation window's article for a payment of `amount`, waited for with
 * Playwright's in-page polling (not e2e/system.ts's 100 ms loop, too coarse to time).
 * `opened` is the context's next confirm.html page, listened for before the click.
 */
export async function waitForConfirmation(system: Pick<System, 'browser'>, opened: Promise<Page>, amount: string, timeout = 15_000): Promise<Page> {
  const existing = system.browser.context.pages().find((p) => !p.isClosed() && p.url().startsWith(system.browser.url('confirm.html')));
  const page = existing ?? (await opened);
  await page.locator('article', { has: page.getByRole('heading', { name: amount, exact: true }) }).waitFor({ timeout });
  return page;
}

/** A tiny static page without any checkout, on its own origin (not the shop's). */
/**
 * Pages without a checkout: a page with no script at all (`url`; the worst case for the extension,
 * whose scripts are then the first to build the page's DOM bindings), the same page embedding five
 * frames (`framesUrl`), and a page whose own small script does what nearly every site's does
 * (reads navigator, adds listeners, queries and adds elements; `scriptedUrl`).
 */
export async function startStaticServer(): Promise<{ url: string; framesUrl: string; scriptedUrl: string; close(): Promise<void> }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plain page</title></head>
<body><h1>Nothing to buy here</h1><p>${'A paragraph of ordinary text. '.repeat(40)}</p>
<ul>${Array.from({ length: 50 }, (_, i) => `<li><a href="#i${i}">Item ${i}</a></li>`).join('')}</ul>
<img alt="logo" width="32" height="32" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>`;
  // Frames on another origin of the same site: Chromium runs them in the page's process, so the
  // page's main-thread metrics include every frame's content scripts (a cross-site frame's would not).
  const frame = (i: number) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frame ${i}</title></head>
<body><p>Embedded widget ${i}: ${'some text '.repeat(20)}</p><input aria-label="Search ${i}"></body></html>`;
  const frames: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(frame(Number(/\d+/.exec(req.url ?? '')?.[0] ?? 0)));
  });
  await new Promise<void>((resolve) => frames.listen(0, '127.0.0.1', resolve));
  const framesOrigin = `http://127.0.0.1:${(frames.address() as AddressInfo).port}`;
  const withFrames = html.replace('</body>', `${Array.from({ length: 5 }, (_, i) => `<iframe title="widget ${i}" src="${framesOrigin}/frame/${i}"></iframe>`).join('')}</body>`);
  const scripted = html.replace(
    '</head>',
    `<script>
window.dataLayer = []; window.addEventListener('message', () => {}); const ua = navigator.userAgent;
document.addEventListener('DOMContentLoaded', () => {
  for (const a of document.querySelectorAll('a')) a.addEventListener('click', () => dataLayer.push(a.href));
  const p = document.createElement('p'); p.textContent = String(ua.length); document.body.append(p);
});
</script></head>`,
  );
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url === '/frames' ? withFrames : req.url === '/scripted' ? scripted : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    framesUrl: `http://127.0.0.1:${port}/frames`,
    scriptedUrl: `http://127.0.0.1:${port}/scripted`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => frames.close(() => resolve()));
    },
  };
}

/**
 * Precise ends of a "click → window" measurement, both read off the browser's own clocks rather
 * than from when Playwright notices: its locator waits poll at 20, 50 and then 100 ms intervals,
 * which added up to 100 ms to a window whose content came after it opened, and less to one drawn
 * at once. Times are ms since the epoch (`performance.timeOrigin` + a page's clock), so a page's
 * and a window's can be subtracted.
 */

/** Before a click: the page remembers when the click on `selector` reaches it (the input's own timestamp). */
export async function noteClick(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    // sessionStorage, since a plain form post navigates away from this document.
    sessionStorage.removeItem('bench:clickAt');
    document.querySelector(selector)!.addEventListener('click', (event) => sessionStorage.setItem('bench:clickAt', String(performance.timeOrigin + event.timeStamp)), { capture: true, once: true });
  }, selector);
}

/** When the click `noteClick` listened for reached the page. */
export async function clickedAt(page: Page): Promise<number> {
  const at = Number(await page.evaluate(() => sessionStorage.getItem('bench:clickAt')));
  if (!at) throw new Error('the page saw no click');
  return at;
}

/**
 * When the element marked `elementtiming="<identifier>"` was first painted in `page` (Element
 * Timing's renderTime: the compositor's frame, headless here; a real screen shows it a frame or
 * two later, in the floor's window as in ours): the amount's heading, in AgentPay's window and in
 * the floor's. Of several, the latest painted that is still on the page, so a window that showed
 * another request first is timed by this one.
 */
export async function paintedAt(page: Page, identifier: string, timeout = 10_000): Promise<number> {
  return page.evaluate(
    ({ identifier, timeout }) =>
      new Promise<number>((resolve, reject) => {
        type Painted = PerformanceEntry & { identifier: string; renderTime: number; loadTime: number; element: Element | null };
        const timer = setTimeout(() => reject(new Error(`no element "${identifier}" was painted`)), timeout);
        new PerformanceObserver((list, observer) => {
          const painted = (list.getEntries() as Painted[]).filter((e) => e.identifier === identifier && e.element?.isConnected);
          const latest = painted.sort((a, b) => (b.renderTime || b.loadTime) - (a.renderTime || a.loadTime))[0];
          if (!latest) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(performance.timeOrigin + (latest.renderTime || latest.loadTime));
        }).observe({ type: 'element', buffered: true });
      }),
    { identifier, timeout },
  );
}

/**
 * How far `page`'s clock (its time origin, fixed when its process began, plus its monotonic time)
 * has come from the wall clock now. Two pages' times can be subtracted only while theirs agree:
 * a wall clock stepped between their starts would shift every sample.
 */
export async function clockDrift(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin + performance.now() - Date.now());
}

/** `painted − clicked`, once both pages' clocks are known to agree (within 2 ms, Date.now()'s grain) and the paint came after the click. */
export async function clickToPaint(clicked: { page: Page; at: number }, painted: { page: Page; at: number }): Promise<number> {
  const [a, b] = await Promise.all([clockDrift(clicked.page), clockDrift(painted.page)]);
  if (Math.abs(a - b) > 2) throw new Error(`the two pages' clocks disagree by ${(a - b).toFixed(1)} ms: this run cannot be timed`);
  const elapsed = painted.at - clicked.at;
  if (elapsed <= 0) throw new Error(`the window was painted ${(-elapsed).toFixed(1)} ms before the click: an earlier paint was timed`);
  return elapsed;
}
