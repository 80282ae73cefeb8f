import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTab, startSystem, type System } from './system.ts';

/**
 * QR codes on pages an agent drives: most are links (to an article, an app), and those must
 * lead to nothing the user sees. Only a payment code does: a foreign one (EMVCo, paid through
 * a bank's or wallet's network) is refused with a clear notice. The signed AgentPay code on
 * the demo shop is paid in checkout-shapes.test.ts.
 */

/** The example of EMVCo QRCPS-MPM (v1.1, appendix): a dynamic code of a Beijing transport merchant. */
const EMVCO_EXAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING' +
  '64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

let system: System;
let news: Server;
let newsUrl: string;
/** How often something other than the page's own <img> fetched the article's QR image: the extension reading it. */
let qrReads = 0;

beforeAll(async () => {
  system = await startSystem();
  const qrPng = await QRCode.toBuffer('https://news.example/2026/11/tea-harvest', { width: 320 });
  news = createServer((request, response) => {
    if (request.url === '/qr.png') {
      if (request.headers['sec-fetch-dest'] !== 'image') qrReads++;
      return response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(qrPng);
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
      <html lang="en"><head><title>The tea harvest comes early this year</title></head><body>
      <article><h1>The tea harvest comes early this year</h1>
        <p>Growers in Hangzhou began picking Longjing a week early after a warm spring.</p>
        <figure><img src="/qr.png" alt="Scan the QR code to read this story on your phone"><figcaption>Scan to read on your phone</figcaption></figure>
      </article></body></html>`);
  });
  await new Promise<void>((ok) => news.listen(0, '127.0.0.1', ok));
  newsUrl = `http://127.0.0.1:${(news.address() as AddressInfo).port}`;
});
afterAll(async () => {
  news?.closeAllConnections();
  await new Promise((ok) => news?.close(ok));
  await system?.close();
});

/** Records every text the extension's notice shows on this page, from the start. */
async function recordNotices(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = ((window as any).__agentpayNotices = []);
    const watched = new WeakSet<Element>();
    const record = (box: Element) => {
      const text = box.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    };
    new MutationObserver(() => {
      const box = document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div');
      if (!box || watched.has(box)) return;
      watched.add(box);
      record(box);
      new MutationObserver(() => record(box)).observe(box, { childList: true, characterData: true, subtree: true });
    }).observe(document, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => [...(window as any).__agentpayNotices]);
}

/** Adds an image labelled as a scan-to-pay code, as a shop's page would. */
async function showScanToPay(page: Page, text: string): Promise<void> {
  const png = await QRCode.toDataURL(text, { width: 320 });
  await page.evaluate((src) => {
    const img = document.createElement('img');
    img.alt = 'Scan to pay';
    img.src = src;
    document.body.append(img);
  }, png);
}

const confirmWindows = () => system.browser.context.pages().filter((p) => p.url().startsWith(system.browser.url('confirm.html')));

describe('QR codes on automated pages', () => {
  it('a link in a news article is read and leads to nothing the user sees: no notice, no confirmation window', async () => {
    const page = await system.browser.context.newPage();
    const notices = await recordNotices(page);
    await page.goto(`${newsUrl}/2026/11/tea-harvest`);
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);
    // The extension read the article's code (it fetches the image itself to decode it)…
    await expect.poll(() => qrReads, { timeout: 15_000 }).toBeGreaterThan(0);
    // …and a payment code shown after it is still refused: its notice is the only one the page ever showed.
    await showScanToPay(page, EMVCO_EXAMPLE);
    await page.getByRole('alert').filter({ hasText: 'EMVCo' }).waitFor();
    expect(await notices()).toEqual([expect.stringMatching(/^AgentPay: this "scan to pay" code for BEST TRANSPORT is an EMVCo code/)]);
    expect(confirmWindows()).toEqual([]);
    await closeTab(page);
  });

  it("a foreign EMVCo code on a shop's page is refused with a notice naming it, and nothing is held", async () => {
    const page = await system.browser.context.newPage();
    await page.goto(system.shop.url);
    await showScanToPay(page, EMVCO_EXAMPLE);
    const notice = page.getByRole('alert').filter({ hasText: 'EMVCo' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/BEST TRANSPORT.*bank's or a wallet app's own network.*nothing was paid/);
    expect(confirmWindows()).toEqual([]);
    await closeTab(page);
  });
});
