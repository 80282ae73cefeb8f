import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './browser.ts';
import { until } from './real-web-agent.ts';

/**
 * A shop served over plain http from another host is not a secure context, so
 * `crypto.randomUUID` is missing there. The extension must still hold its card
 * checkout and say so, not stop with a page error and show nothing.
 * `shop.test` resolves to this machine only inside this Chromium, which still
 * treats it as a remote, insecure origin (only localhost and loopback addresses count as secure).
 */
const SHOP_HOST = 'shop.test';
let browser: ExtensionBrowser;
let server: Server;
const posted: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => { posted.push(body); response.end('paid'); });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><title>Checkout</title><p>Total €42.50</p>
<form method="post" action="/pay"><label>Card number <input name="number" autocomplete="cc-number"></label>
<label>Expiry <input name="exp" autocomplete="cc-exp"></label><label>CVC <input name="cvc" autocomplete="cc-csc"></label>
<button>Pay €42.50</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchWithExtension({ args: [`--host-resolver-rules=MAP ${SHOP_HOST} 127.0.0.1`] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it('a card form on a plain-http shop (not a secure context) is held and the page is told why, the agent\'s card unsent', async () => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://${SHOP_HOST}:${(server.address() as AddressInfo).port}/`);
  expect(await page.evaluate(() => isSecureContext)).toBe(false);
  await page.getByLabel('Card number').fill('4242424242424242');
  await page.getByLabel('Expiry').fill('12/30');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: 'Pay €42.50' }).click();
  // Not paired in this browser: the wallet's notice says so, which it can only do once the hold reached it.
  const notice = () => page.evaluate(() => document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div')?.textContent ?? null);
  await until(async () => Boolean(await notice()), 15_000);
  expect({ notice: await notice(), errors }).toEqual({ notice: expect.stringMatching(/not paired with a relay/), errors: [] });
  expect(posted).toEqual([]);
});
