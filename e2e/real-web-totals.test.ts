import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_CARD, agentPays, open, startSystemWithWeb, typeCard, until, windowOrNotice } from './real-web-agent.ts';
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

async function checkout(id: string, act: (page: Page) => Promise<void>): Promise<void> {
  const opened = await open(system, web, id);
  try {
    await agentPays(system, web, opened, () => act(opened.page));
  } finally {
    await closeTab(opened.page);
  }
}

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
  it('a visible total (with shipping) above a stale JSON-LD total: the window shows what will be charged', () =>
    checkout('total-jsonld-differs', form('Card number', 'Expiry (MM/YY)', 'CVC', 'Place order')));

  it('a page with no readable total is not held for ever: the user is asked or told why, and the agent\'s card reaches no server', async () => {
    const { page, info, since } = await open(system, web, 'total-none');
    try {
      await form('Card number', 'Expiry (MM/YY)', 'CVC', 'Complete order')(page);
      let shown: Awaited<ReturnType<typeof windowOrNotice>> = null;
      const answered = await until(async () => (shown = await windowOrNotice(system, page)) !== null || chargesFor(web.ledger, info.id, since).length > 0, 30_000);
      assertAgentCardReachedNoServer(web.ledger, since);
      expect(answered, 'the extension neither asked the user nor said why, and nothing reached the shop').toBe(true);
      expect(shown, `the shop was reached without the user being asked: ${JSON.stringify(chargesFor(web.ledger, info.id, since))}`).not.toBeNull();
      expect(chargesFor(web.ledger, info.id, since).filter((c) => 'card' in c.with && c.with.card === AGENT_CARD.number)).toEqual([]);
    } finally {
      await closeTab(page);
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
      const told = page.getByRole('alert').filter({ hasText: 'This payment method is not available' });
      await until(async () => (await told.count()) > 0 || (await windowOrNotice(system, page)) !== null, 20_000);
      expect(await windowOrNotice(system, page), 'the extension took up a request it cannot answer').toBeNull();
      await told.waitFor({ timeout: 20_000 });
      await expect(confirmationFor(system, info.shows!)).rejects.toThrow(/no confirmation window/);
      assertNothingPaid(web.ledger, info.id, since);
      assertAgentCardReachedNoServer(web.ledger, since);
    } finally {
      await closeTab(page);
    }
  });
});
