import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AGENT_CARD, startSystemWithWeb, typeCard, checkoutOn } from './real-web-agent.ts';
import { type System } from './system.ts';
import type { Web } from './web/index.ts';

/**
 * Card forms the browser posts itself, on the test web (e2e/web): with and
 * without autocomplete, labelled in six languages, a multi-step checkout, and
 * the common field layouts. Each: the agent types its own card, approves in
 * the window, and the shop is paid once with the token's card, never the agent's.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
});
afterAll(() => close?.());

/** Opens `id` in a fresh tab, lets the agent act, checks the three facts, closes the tab. */
const checkout = (id: string, act: (page: Page) => Promise<void>) => checkoutOn(system, web, id, act);

describe('classic card forms', () => {
  it('a WooCommerce-style form with autocomplete cc-* is paid with the token', () => checkout('classic-autocomplete', async (page) => {
    await typeCard({ name: page.getByLabel('Name on card'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry date (MM/YY)'), cvc: page.getByLabel('Security code') });
    await page.getByRole('button', { name: 'Place order' }).click();
  }));

  const localised: [string, string, { name: string; number: string; expiry: string; cvc: string; pay: string }][] = [
    ['Chinese', 'labels-zh', { name: '持卡人', number: '银行卡号', expiry: '有效期', cvc: '安全码', pay: '立即付款' }],
    ['Japanese', 'labels-ja', { name: 'カード名義', number: 'カード番号', expiry: '有効期限', cvc: 'セキュリティコード', pay: '注文を確定する' }],
    ['German', 'labels-de', { name: 'Karteninhaber', number: 'Kartennummer', expiry: 'Gültig bis (MM/JJ)', cvc: 'Prüfnummer', pay: 'Jetzt kaufen' }],
    ['French', 'labels-fr', { name: 'Titulaire de la carte', number: 'Numéro de carte', expiry: "Date d'expiration (MM/AA)", cvc: 'Cryptogramme visuel', pay: 'Payer ma commande' }],
    ['Spanish', 'labels-es', { name: 'Titular de la tarjeta', number: 'Número de tarjeta', expiry: 'Fecha de caducidad (MM/AA)', cvc: 'CVV', pay: 'Pagar ahora' }],
  ];
  for (const [language, id, labels] of localised) {
    it(`a ${language} form without autocomplete, known only by its labels, is paid with the token`, () => checkout(id, async (page) => {
      await typeCard({ name: page.getByLabel(labels.name, { exact: true }), number: page.getByLabel(labels.number, { exact: true }), expiry: page.getByLabel(labels.expiry, { exact: true }), cvc: page.getByLabel(labels.cvc, { exact: true }) });
      await page.getByRole('button', { name: labels.pay }).click();
    }));
  }

  it('a multi-step checkout that keeps the card in page state until "Place order" is paid with the token', () => checkout('multistep-review', async (page) => {
    await page.getByLabel('Full name').fill('Agent Smith');
    await page.getByLabel('Address').fill('1 Test Street, Berlin');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await typeCard({ number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Card ending 4242').waitFor();
    await page.getByRole('button', { name: 'Place order' }).click();
  }));
});

describe('field layouts', () => {
  it('a card number in four boxes of four is paid with the token', () => checkout('split-number-boxes', async (page) => {
    for (let group = 0; group < 4; group++) {
      await page.getByLabel(`Card number, digits ${group * 4 + 1} to ${group * 4 + 4}`).fill(AGENT_CARD.number.slice(group * 4, group * 4 + 4));
    }
    await page.getByLabel('Expiry (MM/YY)').fill(`${AGENT_CARD.expMonth}/${AGENT_CARD.expYear}`);
    await page.getByLabel('CVV').fill(AGENT_CARD.cvc);
    await page.getByRole('button', { name: 'Pay now' }).click();
  }));

  it('an expiry as month and 2-digit year selects is paid with the token', () => checkout('expiry-selects-2digit', async (page) => {
    await page.getByLabel('Card number').fill(AGENT_CARD.number);
    await page.getByLabel('Expiry month').selectOption(AGENT_CARD.expMonth);
    await page.getByLabel('Expiry year').selectOption(AGENT_CARD.expYear);
    await page.getByLabel('CVV').fill(AGENT_CARD.cvc);
    await page.getByRole('button', { name: 'Pay now' }).click();
  }));

  it('an expiry as month-name and 4-digit year selects is paid with the token', () => checkout('expiry-selects-names', async (page) => {
    await page.getByLabel('Card number').fill(AGENT_CARD.number);
    await page.getByLabel('Expiry month').selectOption({ label: '12 - December' });
    await page.getByLabel('Expiry year').selectOption(`20${AGENT_CARD.expYear}`);
    await page.getByLabel('CVV').fill(AGENT_CARD.cvc);
    await page.getByRole('button', { name: 'Pay now' }).click();
  }));

  it('an expiry in one MM/YYYY field is paid with the token', () => checkout('expiry-mm-yyyy', async (page) => {
    await typeCard({ number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry date (MM/YYYY)'), cvc: page.getByLabel('CVV') }, `${AGENT_CARD.expMonth}/20${AGENT_CARD.expYear}`);
    await page.getByRole('button', { name: 'Pay now' }).click();
  }));
});
