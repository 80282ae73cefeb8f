import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fieldFrames, startSystemWithWeb, typeCard, checkoutOn } from './real-web-agent.ts';
import { type System } from './system.ts';
import type { Web } from './web/index.ts';

/**
 * Card fields on a payment provider's origin (http://localhost:…, another
 * site than the shop's 127.0.0.2, so each frame runs out of process), on the
 * test web (e2e/web): one iframe per field (Stripe Elements, Braintree Hosted
 * Fields, Shopify's card vault), a whole hosted payment page in an iframe, and
 * one reached by redirect. Each: the agent types its own card into the frames,
 * approves in the window, and the shop is paid once with the token's card.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
});
afterAll(() => close?.());

const checkout = (id: string, act: (page: Page) => Promise<void>) => checkoutOn(system, web, id, act);

/** An agent typing into one-field-per-frame hosted fields. */
const intoFieldFrames = (button: string) => async (page: Page) => {
  const frames = fieldFrames(page);
  await typeCard({ number: frames.number.locator('input'), expiry: frames.expiry.locator('input'), cvc: frames.cvc.locator('input') });
  await page.getByRole('button', { name: button }).click();
};

/** An agent typing into the provider's hosted payment page. */
const intoHostedPage = async (scope: Page | FrameLocator, button: string) => {
  await typeCard({ number: scope.getByLabel('Card information'), expiry: scope.getByLabel('Expiration'), cvc: scope.getByLabel('CVC'), name: scope.getByLabel('Name on card') });
  await scope.getByRole('button', { name: button }).click();
};

describe('hosted card fields in cross-site iframes', () => {
  it('Stripe Elements-like fields (the number frame fetches the card to the provider) are paid with the token', () =>
    checkout('hosted-fields-fetch', intoFieldFrames('Pay $58.00')));

  it('Braintree Hosted Fields-like frames (XMLHttpRequest, a nonce the form posts) are paid with the token', () =>
    checkout('hosted-fields-xhr', intoFieldFrames('Buy now')));

  it("a Shopify-like card vault (frames deposit the card on the vault's origin for a session id) is paid with the token", () =>
    checkout('card-vault', intoFieldFrames('Pay now')));
});

describe('hosted payment pages', () => {
  it("a provider's whole payment page inside an iframe is paid with the token", () => checkout('hosted-page-iframe', async (page) => {
    await intoHostedPage(page.frameLocator('iframe[title="Secure payment"]'), 'Pay $89.00');
  }));

  it("a provider's payment page reached by redirect, on the shop's checkout domain, is paid with the token", () => checkout('hosted-page-redirect', async (page) => {
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByRole('heading', { name: 'Pay Harbor & Pine' }).waitFor();
    await intoHostedPage(page, 'Pay $210.00');
  }));
});
