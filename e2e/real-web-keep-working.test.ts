import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveShown, open, startSystemWithWeb, typeCard, until } from './real-web-agent.ts';
import { closeTab, type System } from './system.ts';
import { assertAgentCardReachedNoServer, assertNothingPaid, assertPaidOnceWithToken, chargesFor } from './web/assertions.ts';
import type { Web } from './web/index.ts';

/**
 * What must keep working on the test web (e2e/web): an agent clicking Pay
 * three times pays once; a shop charging more than was approved is refused by
 * the relay (a QR code in a news article: e2e/qr-codes.test.ts, which proves nothing appears without watching the clock).
 */
let system: System;
let web: Web;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ system, web, close } = await startSystemWithWeb());
});
afterAll(() => close?.());

describe('keep working', () => {
  it('an agent clicking Pay three times pays the shop once, with the token', async () => {
    const { page, info, since } = await open(system, web, 'impatient-agent');
    try {
      await typeCard({ number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
      const pay = page.getByRole('button', { name: 'Pay', exact: true });
      await pay.click();
      await pay.click();
      await pay.click();
      await approveShown(system, info);
      expect(await until(() => chargesFor(web.ledger, info.id, since).some((c) => c.outcome === 'paid'), 20_000), 'the shop was paid').toBe(true);
      // The page prints one line per answer from its server: wait for the paid one, then count.
      await page.getByText(/^Paid order/).waitFor();
      assertAgentCardReachedNoServer(web.ledger, since);
      assertPaidOnceWithToken(web.ledger, info.id, since, info.merchant!.name);
    } finally {
      await closeTab(page);
    }
  });

  it('a shop charging more than the user approved is refused by the relay, and nothing is paid', async () => {
    const { page, info, since } = await open(system, web, 'over-approved');
    try {
      await typeCard({ number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM/YY)'), cvc: page.getByLabel('CVC') });
      await page.getByRole('button', { name: 'Buy ticket' }).click();
      await approveShown(system, info);
      expect(await until(() => chargesFor(web.ledger, info.id, since).length > 0, 20_000), 'the shop tried to charge').toBe(true);
      expect(chargesFor(web.ledger, info.id, since).map((c) => c.detail).join('; ')).toMatch(/token_amount_exceeded/);
      assertNothingPaid(web.ledger, info.id, since);
      assertAgentCardReachedNoServer(web.ledger, since);
    } finally {
      await closeTab(page);
    }
  });
});
