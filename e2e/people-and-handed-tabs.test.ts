import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, answerInWindow, closeTab, confirmationFor, startSystem, type System } from './system.ts';

/** A browser a person uses: not automated, so only what the user chooses is held. */
let system: System;
beforeAll(async () => {
  system = await startSystem({ automated: false });
});
afterAll(() => system?.close());

/** A page script that sends a card by fetch as soon as it runs, and keeps what became of it. */
const EARLY_CARD_SCRIPT = `<script>
  window.earlySend = 'waiting';
  fetch('/collect-early', { method: 'POST', body: JSON.stringify({ cardNumber: '4111 1111 1111 1111' }) }).then(
    () => (window.earlySend = 'sent'),
    () => (window.earlySend = 'refused'),
  );
</script>`;

/**
 * Puts EARLY_CARD_SCRIPT at the top of `page`'s order pages; answers its request and keeps
 * the bodies that reached the network (an order page's first load comes by a redirect, which
 * Playwright's route does not see: such a page is opened again).
 */
async function sendCardEarly(page: Page): Promise<string[]> {
  await page.route(/\/orders\/ord_/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace('<head>', `<head>${EARLY_CARD_SCRIPT}`) });
  });
  const reached: string[] = [];
  await page.route('**/collect-early', (route) => {
    reached.push(route.request().postData() ?? '');
    return route.fulfill({ status: 204 });
  });
  return reached;
}

const confirmWindows = () => system.browser.context.pages().filter((p) => !p.isClosed() && p.url().includes('/confirm.html'));

describe('checkouts a person makes, and tabs handed to an agent', () => {
  it("leaves a person's own card checkout alone", async () => {
    await holdOwnCheckouts(false); // as a person who never opted in, whatever test ran before
    // A window an earlier test left showing its outcome closes itself first: any window after that is this checkout's.
    await expect.poll(() => confirmWindows().length, { timeout: 20_000 }).toBe(0);
    const page = await system.browser.context.newPage();
    expect(await page.evaluate(() => navigator.webdriver)).toBe(false);
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 1 });
    await agentSubmitsCardForm(page);
    // The form went to the shop as typed (and the relay refused the made-up card); no window opened.
    await page.getByRole('alert').filter({ hasText: 'not a card issued' }).waitFor();
    expect(confirmWindows()).toHaveLength(0);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });

  it('holds the checkouts of a tab handed to an agent from the toolbar, under that agent', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 2 });
    await handTab(page, 'Research agent');

    await agentSubmitsCardForm(page);
    const { request } = await confirmationFor(system, '116.00 CNY');
    expect(await request.locator('[data-field="agent"]').textContent()).toBe('Research agent');
    await answerInWindow(system, '116.00 CNY', 'Approve');
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it("holds a handed tab's scripted form.submit() and a card its script sends by fetch, both under the agent", async () => {
    const page = await system.browser.context.newPage();
    // The order page's own checkout script opens its request as the page starts, and keeps
    // form.submit: in a person's browser this runs before anyone hands the tab over.
    await page.route(/\/orders\/ord_/, async (route) => {
      const response = await route.fetch();
      const script = `<script>
        const xhr = new XMLHttpRequest(); xhr.open('POST', '/collect-xhr'); window.checkoutXhr = xhr;
        const submit = HTMLFormElement.prototype.submit; window.submitForm = (form) => submit.call(form);
      </script>`;
      await route.fulfill({ response, body: (await response.text()).replace('<head>', `<head>${script}`) });
    });
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 2 });
    // Opened again, as a person comes back to it (Playwright's route does not see a redirect's target).
    await page.goto(page.url());
    expect(await page.evaluate(() => typeof Reflect.get(window, 'submitForm'))).toBe('function');
    await handTab(page, 'Scripting agent');

    const sentByXhr = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const xhr = Reflect.get(window, 'checkoutXhr') as XMLHttpRequest;
          xhr.onload = () => resolve('sent');
          xhr.onerror = () => resolve('refused');
          xhr.send(JSON.stringify({ cardNumber: '4111111111111111' }));
        }),
    );
    // A card sent by the page's own script waits for the wallet instead of leaving.
    const sent = page.evaluate(() =>
      fetch('/collect', { method: 'POST', body: JSON.stringify({ cardNumber: '4111 1111 1111 1111' }) }).then(
        () => 'sent',
        () => 'refused',
      ),
    );
    // form.submit() fires no submit event: only the patched method can hold it, even the one the page kept.
    await page.locator('#card-name').fill('Agent Smith');
    await page.locator('#card-number').fill('4111111111111111');
    await page.locator('#card-exp').fill('12/30');
    await page.locator('#card-csc').fill('123');
    await page.evaluate(() => (Reflect.get(window, 'submitForm') as (form: HTMLFormElement) => void)(document.querySelector<HTMLButtonElement>('#pay-card')!.form!));
    const { request } = await confirmationFor(system, '70.00 CNY');
    expect(await request.locator('[data-field="agent"]').textContent()).toBe('Scripting agent');
    await answerInWindow(system, '70.00 CNY', 'Reject');
    expect(await sent).toBe('refused');
    expect(await sentByXhr).toBe('refused');
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });

  it("holds a card a handed tab's page sends the moment it starts, before the wallet has said the tab is handed", async () => {
    const page = await system.browser.context.newPage();
    const reached = await sendCardEarly(page);
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 3 });
    await handTab(page, 'Early agent');
    // Sent by the reloaded page's first script: it waits for the wallet, which asks the user.
    await confirmationFor(system, '105.00 CNY');
    await answerInWindow(system, '105.00 CNY', 'Reject');
    await expect.poll(() => page.evaluate(() => Reflect.get(window, 'earlySend'))).toBe('refused');
    expect(reached.filter((body) => body.includes('4111'))).toEqual([]);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });

  it("holds the card form of a handed tab's srcdoc frame even when the page answers for the frame's window before it loads", async () => {
    const page = await system.browser.context.newPage();
    const reached: string[] = [];
    await page.route('**/collect-frame', (route) => {
      reached.push(route.request().postData() ?? '');
      return route.fulfill({ status: 204 });
    });
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 4 });
    await handTab(page, 'Frame agent');
    await page.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.id = 'pay-frame';
      frame.srcdoc = `<form method="post" action="/collect-frame"><label>Card number <input id="n" name="cardnumber" autocomplete="cc-number"></label>
        <label>Expiry <input id="e" name="exp" autocomplete="cc-exp"></label><label>CVC <input id="c" name="cvc" autocomplete="cc-csc"></label><button id="go">Pay</button></form>`;
      document.body.append(frame);
      // The frame's first about:blank window is kept for its srcdoc page: listeners added now run before the extension's there.
      const window = frame.contentWindow!;
      const { port1, port2 } = new MessageChannel();
      window.addEventListener('agentpay:port?', () => {
        window.dispatchEvent(new MessageEvent('agentpay:port', { ports: [port2] }));
        port1.postMessage(false);
      });
      window.addEventListener('agentpay:watch', (event) => event.stopImmediatePropagation());
      await new Promise((resolve) => frame.addEventListener('load', resolve));
    });
    const frame = page.frameLocator('#pay-frame');
    await frame.locator('#n').fill('4111111111111111');
    await frame.locator('#e').fill('12/30');
    await frame.locator('#c').fill('123');
    await frame.locator('#go').click();
    await confirmationFor(system, '140.00 CNY');
    await answerInWindow(system, '140.00 CNY', 'Reject');
    expect(reached.filter((body) => body.includes('4111'))).toEqual([]);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });

  it("gives a handed tab's page no way to the browser's own fetch by replacing Function.prototype.call", async () => {
    const page = await system.browser.context.newPage();
    await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    await handTab(page, 'Call agent');
    const stolen = await page.evaluate(async () => {
      let native: unknown;
      const call = Function.prototype.call;
      Function.prototype.call = function (this: (...args: unknown[]) => unknown, thisArg: unknown, ...args: unknown[]) {
        if (this !== fetch && String(this.name) === 'fetch') native = this;
        return Reflect.apply(this, thisArg, args);
      };
      try {
        await fetch('/', { method: 'HEAD' }).catch(() => undefined);
      } finally {
        Function.prototype.call = call;
      }
      return native !== undefined;
    });
    expect(stolen).toBe(false);
    await closeTab(page);
  });

  it('lets a card another tab sends the moment its page starts go as sent, while a tab is handed to an agent', async () => {
    await holdOwnCheckouts(false); // the person never opted in, whatever test ran before
    // A window an earlier test left showing its outcome closes itself first: any window after that is this page's.
    await expect.poll(() => confirmWindows().length, { timeout: 20_000 }).toBe(0);
    const handed = await system.browser.context.newPage();
    await agentPlacesOrder(handed, system.shop, { tieguanyin: 1 });
    await handTab(handed, 'Other-tab agent');
    const page = await system.browser.context.newPage();
    const reached = await sendCardEarly(page);
    await agentPlacesOrder(page, system.shop, { longjing: 1 });
    await page.goto(page.url()); // the order page again, with its script (Playwright's route does not see a redirect's target)
    // This tab is the person's own: held only until the wallet says so, then sent as the page sent it.
    await expect.poll(() => page.evaluate(() => Reflect.get(window, 'earlySend')), { timeout: 15_000 }).toBe('sent');
    expect(reached.some((body) => body.includes('4111 1111 1111 1111'))).toBe(true);
    expect(confirmWindows()).toHaveLength(0);
    await closeTab(page);
    await closeTab(handed);
  });

  it('holds a handed tab whose page will not be left: it asks "Leave site?", the person stays, and the card still waits', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 3 });
    // The page guards what the person typed; asked "Leave site?", the person stays.
    await page.evaluate(() => {
      addEventListener('beforeunload', (event) => {
        event.preventDefault();
        event.returnValue = '';
      });
      Reflect.set(window, 'sameDocument', true);
    });
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    // Typed by the person (a click and keys: a page may only ask "Leave site?" after someone used it).
    await page.locator('#card-name').click();
    await page.keyboard.type('Agent Smith');
    await handTab(page, 'Careful agent', { reloads: false });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(await page.evaluate(() => Reflect.get(window, 'sameDocument'))).toBe(true);

    const sent = page.evaluate(() =>
      fetch('/collect', { method: 'POST', body: JSON.stringify({ cardNumber: '4111 1111 1111 1111' }) }).then(
        () => 'sent',
        () => 'refused',
      ),
    );
    const { request } = await confirmationFor(system, '105.00 CNY');
    expect(await request.locator('[data-field="agent"]').textContent()).toBe('Careful agent');
    await answerInWindow(system, '105.00 CNY', 'Reject');
    expect(await sent).toBe('refused');
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });
});

/** The options page's "Also hold checkouts I make myself" box, set as a person would. */
async function holdOwnCheckouts(on: boolean): Promise<void> {
  const options = await system.browser.context.newPage();
  await options.goto(system.browser.url('options.html'));
  await options.getByLabel('Also hold checkouts I make myself, and pay them with single-use tokens').setChecked(on);
  const stored = () => options.evaluate(() => (globalThis as any).chrome.storage.local.get('settings').then((r: any) => r.settings?.holdHumanCheckouts ?? false));
  await expect.poll(stored).toBe(on);
  await closeTab(options);
}

/**
 * What the toolbar menu's "Hand to agent" sends, from an extension page (no web page can). The tab loads
 * again, so that its holds are in place before the page's first script, unless the page refuses to be left.
 */
async function handTab(page: Page, agentName: string, { reloads = true } = {}): Promise<void> {
  const tabId = await tabIdOf(page.url());
  const menu = await system.browser.context.newPage();
  await menu.goto(system.browser.url('popup.html'));
  const reloaded = reloads ? page.waitForEvent('load') : undefined;
  const reply = await menu.evaluate(([tabId, agentName]) => (globalThis as any).chrome.runtime.sendMessage({ type: 'tab.hand', tabId, agentName }), [tabId, agentName] as const);
  expect(reply).toEqual({ ok: true, value: null });
  await reloaded;
  await closeTab(menu);
}

describe('a person who opts in to holding their own checkouts', () => {
  it('has their checkout held and paid with a token, under "You, in this browser"', async () => {
    await holdOwnCheckouts(true);

    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { puerh: 1 });
    await agentSubmitsCardForm(page);
    const { request } = await confirmationFor(system, '128.00 CNY');
    expect(await request.locator('[data-field="agent"]').textContent()).toBe('You are paying');
    await answerInWindow(system, '128.00 CNY', 'Approve');
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });
});

/** The browser's id for the tab showing `url`, as the toolbar menu would know it. */
async function tabIdOf(url: string): Promise<number> {
  const worker = system.browser.context.serviceWorkers()[0] ?? (await system.browser.context.waitForEvent('serviceworker'));
  return worker.evaluate(async (url) => {
    const [tab] = await (globalThis as any).chrome.tabs.query({ url });
    return tab.id as number;
  }, url);
}
