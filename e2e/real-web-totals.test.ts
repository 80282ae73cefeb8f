import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPays, open, startSystemWithWeb, typeCard, until, windowOrNotice, checkoutOn } from './real-web-agent.ts';
import { closeTab, confirmationFor, type System } from './system.ts';
import { assertAgentCardReachedNoServer, assertNothingPaid, chargesFor } from './web/assertions.ts';
import type { Web } from './web/index.ts';

/**
 * Totals written the local way, and the Payment Request API with the methods
 * shops list, on the test web (e2e/web). The window must show the amount and
 * currency the shop will charge; a page whose total cannot be read must not be
 * held for ever; a wallet-only PaymentRequest is left to the browser.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
});
afterAll(() => close?.());

/** The confirmation window's question about an amount (not a window closing itself after an earlier payment). */
async function amountQuestion(system: System): Promise<Locator> {
  const url = system.browser.url('confirm.html');
  let found: Locator | undefined;
  await until(async () => {
    for (const page of system.browser.context.pages()) {
      const article = page.getByRole('article', { name: /Amount needed/ });
      if (page.url().startsWith(url) && (await article.count().catch(() => 0))) found = article;
    }
    return found !== undefined;
  }, 20_000);
  if (!found) throw new Error(`the window never asked for an amount; it showed ${JSON.stringify(await windowOrNotice(system, system.browser.context.pages()[0]!))}`);
  return found;
}

const checkout = (id: string, act: (page: Page) => Promise<void>) => checkoutOn(system, web, id, act);

const form = (number: string, expiry: string, cvc: string, button: string) => async (page: Page) => {
  await typeCard({ number: page.getByLabel(number), expiry: page.getByLabel(expiry), cvc: page.getByLabel(cvc) });
  await page.getByRole('button', { name: button }).click();
};

describe('totals in the page\'s locale', () => {
  it('German "42,50 €" is shown as 42.50 EUR and paid with the token', () =>
    checkout('total-de', form('Kartennummer', 'Ablaufdatum (MM/JJ)', 'Prüfziffer (CVC)', 'Zahlungspflichtig bestellen')));
  it('French "1 234,56 €" (narrow no-break spaces) is shown as 1234.56 EUR and paid with the token', () =>
    checkout('total-fr', form('Numéro de carte', 'Expiration (MM/AA)', 'CVC', 'Payer')));
  it('Japanese "¥4,980" on a lang="ja" page is shown as 4980 JPY and paid with the token', () =>
    checkout('total-ja', form('カード番号', '有効期限 (MM/YY)', 'セキュリティコード', '注文を確定する')));
  it('"$64.99" on an en-CA page whose JSON-LD says CAD is shown as 64.99 CAD and paid with the token', () =>
    checkout('total-en-ca', form('Card number', 'Expiry (MM/YY)', 'CVV', 'Pay now')));
  it('Swedish "349,00 kr" is shown as 349.00 SEK and paid with the token', () =>
    checkout('total-sv', form('Kortnummer', 'Giltig till (MM/ÅÅ)', 'CVC', 'Slutför köp')));
  it('a visible total that differs from the structured (JSON-LD) total: the window shows the order\'s, which the shop charges', () =>
    checkout('total-jsonld-differs', form('Card number', 'Expiry (MM/YY)', 'CVC', 'Place order')));

  it('a page with no readable total is not held for ever: the window asks the user what the shop asks, then that amount is approved and paid once with the token', async () => {
    const opened = await open(system, web, 'total-none');
    try {
      await agentPays(system, web, { ...opened, info: { ...opened.info, shows: '19.00 EUR' } }, async () => {
        await form('Card number', 'Expiry (MM/YY)', 'CVC', 'Complete order')(opened.page);
        const asked = await amountQuestion(system);
        expect(await asked.locator('[data-field="origin"]').textContent()).toBe(opened.info.merchant!.origin);
        // The user knows what the shop asks (its server states it; the page does not).
        await asked.getByLabel('Amount').fill('19.00');
        await asked.getByLabel('Currency').fill('EUR');
        await asked.getByRole('button', { name: 'Continue' }).click();
      });
    } finally {
      await closeTab(opened.page);
    }
  });
});

describe('Payment Request API', () => {
  const buyNow = async (page: Page) => page.getByRole('button', { name: 'Buy now' }).click();

  it('basic-card with supportedNetworks is answered with the token\'s card', () => checkout('pr-basic-card', buyNow));
  it('Google Pay listed before cards is answered with the token\'s card', () => checkout('pr-card-and-gpay', buyNow));
  it('https://agentpay.dev/pay listed by the shop is answered with a token', () => checkout('pr-agentpay', buyNow));

  it('a Google Pay-only request is left to the browser: the page is told, nothing is paid, no window asks', async () => {
    const { page, info, since } = await open(system, web, 'pr-wallet-only');
    try {
      await buyNow(page);
      // The browser's own answer reaches the page (it has no Google Pay here), and the wallet says why it stood aside.
      const told = page.getByRole('alert').filter({ hasText: 'This payment method is not available' });
      await told.waitFor({ timeout: 20_000 });
      const notice = await page.evaluate(() => document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div')?.textContent ?? null);
      expect(notice).toMatch(/left this checkout to the browser's own payment sheet: it takes only Google Pay/);
      await expect(confirmationFor(system, info.shows!)).rejects.toThrow(/no confirmation window/);
      assertNothingPaid(web.ledger, info.id, since);
      assertAgentCardReachedNoServer(web.ledger, since);
    } finally {
      await closeTab(page);
    }
  });
});
