import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, answerInWindow, closeTab, confirmationFor, startSystem, type System } from './system.ts';

/**
 * Cards sent by the page's script rather than by a form submit, on the demo
 * shop's own origin: held before they leave, paid with the token's card.
 * (The realistic pages of e2e/real-web-*.test.ts cover the shapes shops use.)
 */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

const AGENT_CARD = { 'cc-name': 'Agent Smith', 'cc-number': '4242 4242 4242 4242', 'cc-exp': '12/30', 'cc-csc': '123' };

/** Everything the page sent, as the browser put it on the wire (after the extension's hold). */
function sentBy(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => sent.push(`${request.url()} ${request.postData() ?? ''}`));
  return sent;
}
const agentCardIn = (sent: string[]) => sent.filter((line) => /4242(\+|%20| )?4242(\+|%20| )?4242(\+|%20| )?4242/.test(line));

describe('a card sent by script', () => {
  it('is held when fetched three times at once, paid once with the token card, and every call gets the answer', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 2 });
    const sent = sentBy(page);
    const statuses = page.evaluate(
      ({ id, card }) => Promise.all([1, 2, 3].map(() => fetch(`/orders/${id}/card`, { method: 'POST', body: new URLSearchParams(card) }).then((r) => r.status))),
      { id: orderId, card: AGENT_CARD },
    );
    await answerInWindow(system, '70.00 CNY', 'Approve');
    expect((await statuses).every((status) => status < 500)).toBe(true);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    expect(sent.filter((line) => line.includes('/card '))).toHaveLength(3);
    expect(agentCardIn(sent)).toEqual([]);
    await closeTab(page);
  });

  it('on a page with no total it can read, the window asks the amount, then the approval is for that amount', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { puerh: 1 });
    await page.goto(`${system.shop.url}/`); // the product list: prices, but no order total
    const sent = sentBy(page);
    const status = page.evaluate(
      ({ id, card }) => fetch(`/orders/${id}/card`, { method: 'POST', body: new URLSearchParams(card) }).then((r) => r.status, (e: Error) => e.message),
      { id: orderId, card: AGENT_CARD },
    );
    const asked = await amountQuestion();
    await asked.getByLabel('Amount').fill('128.00');
    await asked.getByLabel('Currency').fill('CNY');
    await asked.getByRole('button', { name: 'Continue' }).click();
    await answerInWindow(system, '128.00 CNY', 'Approve');
    expect(await status).toBeLessThan(500);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    expect(agentCardIn(sent)).toEqual([]);
    await closeTab(page);
  });
});

describe('a card in a request header', () => {
  it('is held, and the request sent with the token card in the header once approved', async () => {
    const page = await system.browser.context.newPage();
    await agentPlacesOrder(page, system.shop, { longjing: 1 });
    const headers: Record<string, string>[] = [];
    page.on('request', (request) => request.url().endsWith('/api/products') && headers.push(request.headers()));
    const status = page.evaluate(() => fetch('/api/products', { headers: { 'x-card-number': '4242 4242 4242 4242' } }).then((r) => r.status));
    await answerInWindow(system, '35.00 CNY', 'Approve');
    expect(await status).toBe(200);
    expect(headers).toHaveLength(1);
    expect(headers[0]!['x-card-number']).toMatch(/^999\d \d{4} \d{4} \d{4}$/);
    await closeTab(page);
  });
});

describe("a payment provider's card field in a cross-site frame", () => {
  it('is held in its frame, shown with the top page\'s merchant and total, filled and sent with the token card', async () => {
    const provider = await startProvider();
    try {
      const page = await system.browser.context.newPage();
      const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
      const sent = sentBy(page);
      // The shop embeds the provider's field, as hosted fields are embedded: the agent types into the frame.
      await page.evaluate((src) => {
        const frame = Object.assign(document.createElement('iframe'), { src, title: 'Secure card number' });
        document.querySelector('#checkout-card')!.append(frame);
      }, `${provider.url}/field`);
      const field = page.frameLocator('iframe[title="Secure card number"]');
      await field.getByLabel('Card number').fill('4242 4242 4242 4242');
      await field.getByRole('button', { name: 'Tokenize' }).click();
      const { request } = await confirmationFor(system, '58.00 CNY');
      expect(await request.locator('[data-field="origin"]').textContent()).toBe(system.shop.url);
      expect(await request.locator('[data-field="card-sent-to"]').textContent()).toBe(provider.url);
      await answerInWindow(system, '58.00 CNY', 'Approve');
      await expect.poll(() => provider.received.length, { timeout: 15_000 }).toBe(1);
      // The relay's token cards carry its own issuer number, 999.
      expect(provider.received[0]).toMatch(/^999\d{13}$/);
      expect(await field.getByLabel('Card number').inputValue()).toBe(provider.received[0]);
      expect(agentCardIn(sent)).toEqual([]);
      await closeTab(page);
    } finally {
      await provider.close();
    }
  }, 120_000);
});

/** A payment provider on another site: a card field page whose script posts the card to its own server. */
async function startProvider() {
  const received: string[] = [];
  const field = `<!doctype html><html lang="en"><body><label>Card number <input id="n" autocomplete="cc-number"></label>
<button id="t">Tokenize</button><script>
document.getElementById('t').onclick = () => {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/tokens');
  xhr.setRequestHeader('content-type', 'application/json');
  xhr.send(JSON.stringify({ card: { number: document.getElementById('n').value } }));
};</script></body></html>`;
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(String(JSON.parse(body).card.number).replace(/\D/g, ''));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"pm_1"}');
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(field);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" is another site than the shop's 127.0.0.1: Chromium runs the frame in its own process.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()) };
}

/** The confirmation window's question about an amount (a window closing itself from an earlier payment does not count). */
async function amountQuestion() {
  const url = system.browser.url('confirm.html');
  let found: Page | undefined;
  await expect
    .poll(async () => {
      for (const page of system.browser.context.pages()) {
        if (page.url().startsWith(url) && (await page.getByRole('article', { name: /Amount needed/ }).count().catch(() => 0))) found = page;
      }
      return found !== undefined;
    }, { timeout: 20_000 })
    .toBe(true);
  return found!.getByRole('article', { name: /Amount needed/ });
}
