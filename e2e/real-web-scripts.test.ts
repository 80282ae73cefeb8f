import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AGENT_CARD, startSystemWithWeb, typeCard, checkoutOn } from './real-web-agent.ts';
import { type System } from './system.ts';
import type { Web } from './web/index.ts';

/**
 * Checkouts whose own script sends the card (fetch, XMLHttpRequest, FormData,
 * sendBeacon, split fields, a GET query) and checkouts inside web components'
 * shadow roots, on the test web (e2e/web). Each: the agent types its own card,
 * approves in the window, and the shop is paid once with the token's card;
 * the agent's card reaches no server by any of those paths.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
});
afterAll(() => close?.());

const checkout = (id: string, act: (page: Page) => Promise<void>) => checkoutOn(system, web, id, act);

/** The card form most script pages share: holder, number, MM/YY, CVC, then `button`. */
const plainForm = (button: string) => async (page: Page) => {
  await typeCard({ name: page.getByLabel('Cardholder name'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
  await page.getByRole('button', { name: button, exact: true }).click();
};

describe('card sent by script', () => {
  it('a React-like page with no <form> that fetches JSON on click is paid with the token', () => checkout('spa-fetch-json', async (page) => {
    await typeCard({ number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
    await page.getByRole('button', { name: 'Pay €189.00' }).click();
  }));

  it('a <form> whose submit handler prevents the post and fetches JSON is paid with the token', () => checkout('spa-form-prevented', plainForm('Pay')));

  it('an XMLHttpRequest posting the form urlencoded is paid with the token', () => checkout('xhr-urlencoded', plainForm('Pay')));

  it('a fetch posting multipart FormData is paid with the token', () => checkout('multipart-formdata', plainForm('Pay')));

  it('an analytics sendBeacon carrying the whole form sends no card of the agent, and the payment is made with the token', () => checkout('beacon-analytics', plainForm('Pay')));

  it('a card number in four inputs posted as cc1..cc4 is paid with the token', () => checkout('split-cc1-cc4', async (page) => {
    for (let group = 0; group < 4; group++) await page.getByLabel(`Card number group ${group + 1}`).fill(AGENT_CARD.number.slice(group * 4, group * 4 + 4));
    await page.getByLabel('Expires (MM/YY)').fill(`${AGENT_CARD.expMonth}/${AGENT_CARD.expYear}`);
    await page.getByLabel('Card verification number').fill(AGENT_CARD.cvc);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
  }));

  it('a legacy GET form putting the card in the query string is paid with the token', () => checkout('get-query', plainForm('Pay')));
});

describe('checkouts in shadow roots', () => {
  it('a web component posting its shadow-root form natively is paid with the token', () => checkout('shadow-form-post', async (page) => {
    await typeCard({ name: page.getByLabel('Name on card'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
    await page.getByRole('button', { name: 'Complete purchase' }).click();
  }));

  it('a web component fetching JSON from inside its shadow root is paid with the token', () => checkout('shadow-fetch', async (page) => {
    await typeCard({ name: page.getByLabel('Name on card'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
    await page.getByRole('button', { name: 'Pay now' }).click();
  }));
});
