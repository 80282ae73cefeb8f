import { afterAll, beforeAll, describe, it } from 'vitest';
import { mountAttackForms } from './attacks/pages.ts';
import { agentPays, open, startSystemWithWeb, typeCard } from './real-web-agent.ts';
import { closeTab, type System } from './system.ts';
import type { Web } from './web/index.ts';

/**
 * An outside tester's card forms (e2e/attacks/pages.ts) that the extension
 * held but then sent to the wrong place, or never saw. Each: the agent types
 * its card and pays, approves in the window; the shop is paid once with the
 * token's card and no server ever receives the agent's.
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
  for (const page of mountAttackForms(web.nord)) web.pages.set(page.id, page);
});
afterAll(() => close?.());

async function checkout(id: string, button: string): Promise<void> {
  const opened = await open(system, web, id);
  const { page } = opened;
  try {
    await agentPays(system, web, opened, async () => {
      await typeCard({ name: page.getByLabel('Cardholder name'), number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
      await page.getByRole('button', { name: button }).click();
    });
  } finally {
    await closeTab(page);
  }
}

describe('card forms submitted another way', () => {
  it('a Pay button with its own formaction (the form\'s action updates the cart) pays the shop once approved', () => checkout('attack-formaction', 'Pay €75.70'));

  it('a declarative shadow root\'s form, submitted by requestSubmit() from a footer button, is held and paid with the token', () => checkout('attack-dsd-footer', 'Place order'));

  it('a card form a widget writes into a blank frame (document.open/write) is held and paid with the token', async () => {
    const opened = await open(system, web, 'attack-written-frame');
    const frame = opened.page.frameLocator('iframe[title="Payment"]');
    try {
      await agentPays(system, web, opened, async () => {
        await typeCard({ name: frame.getByLabel('Cardholder name'), number: frame.getByLabel('Card number'), expiry: frame.getByLabel('Expiry (MM/YY)'), cvc: frame.getByLabel('CVC') });
        await frame.getByRole('button', { name: 'Pay' }).click();
      });
    } finally {
      await closeTab(opened.page);
    }
  });
});
