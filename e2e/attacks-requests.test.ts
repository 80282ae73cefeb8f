import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mountAttackPages } from './attacks/pages.ts';
import { agentPays, open, startSystemWithWeb, typeCard } from './real-web-agent.ts';
import { closeTab, type System } from './system.ts';
import type { Web } from './web/index.ts';

/**
 * An outside tester's pages (e2e/attacks/pages.ts) on which the agent's card
 * left the page beside the payment the extension held: the same card written
 * another way, or sent another way. Each: the agent types its card and pays,
 * approves in the window; the shop is paid once with the token's card and no
 * server ever receives the agent's.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
  for (const page of mountAttackPages(web.nord)) web.pages.set(page.id, page);
});
afterAll(() => close?.());

async function checkout(id: string): Promise<void> {
  const opened = await open(system, web, id);
  try {
    await agentPays(system, web, opened, () => payWithForm(opened.page));
  } finally {
    await closeTab(opened.page);
  }
}

async function payWithForm(page: Page): Promise<void> {
  await typeCard({ name: page.getByLabel('Cardholder name'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
}

describe('the agent\'s card written another way', () => {
  it('a tag manager event carrying the serialised form ("number=4242+4242+…" inside JSON) sends no card of the agent', () => checkout('attack-serialized-analytics'));

  it('a card number masked with no-break spaces is held and paid with the token', () => checkout('attack-nbsp-mask'));
});

describe('the agent\'s card sent another way', () => {
  it('an eligibility check with the card number in the URL path sends no card of the agent', () => checkout('attack-card-in-path'));

  it('an analytics image request with the form in its query sends no card of the agent', () => checkout('attack-image-beacon'));
});
