import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, answerInWindow, closeTab, startSystem, type System } from './system.ts';

/**
 * The Payment Request API on a page an agent drives, as pages that take cards or wallets
 * call it (not the demo shop's own method): a card method is answered with the token's
 * card in the standard fields, which the shop charges; a request the wallet cannot answer
 * stays the browser's own, behaving exactly as the native one, and the page says why.
 */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

const GOOGLE_PAY = {
  supportedMethods: 'https://google.com/pay',
  data: { apiVersion: 2, apiVersionMinor: 0, allowedPaymentMethods: [{ type: 'CARD', parameters: { allowedAuthMethods: ['PAN_ONLY'], allowedCardNetworks: ['VISA'] } }] },
};
const APPLE_PAY = { supportedMethods: 'https://apple.com/apple-pay', data: { version: 3, merchantIdentifier: 'merchant.dev.agentpay.demo', merchantCapabilities: ['supports3DS'], supportedNetworks: ['visa'], countryCode: 'CN' } };
const total = (value: string) => ({ total: { label: 'Total', amount: { currency: 'CNY', value } } });

/** What the page's notice says, and whether it is an alarm (role "alert") or news (role "status"). */
const notice = (page: Page) =>
  page.evaluate(() => {
    const box = document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div');
    return box ? { text: box.textContent, role: box.getAttribute('role') } : null;
  });

const heldInWindow = () =>
  Promise.all(
    system.browser.context.pages()
      .filter((p) => !p.isClosed() && p.url().startsWith(system.browser.url('confirm.html')))
      // Requests still waiting (a payment, or an amount asked for), not the outcomes of answered ones.
      .map((p) => p.locator('article[data-intent-id], article[data-checkout-id]').count().catch(() => 0)),
  ).then((counts) => counts.reduce((a, b) => a + b, 0));

describe('Payment Request on an automated page', () => {
  it('a basic-card request (beside Google Pay) is answered with the token card in the standard fields, and the shop charges it', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { puerh: 1 });
    const answered = page.evaluate(
      async ([methods, details]) => {
        const request = new PaymentRequest(methods, details);
        const can = await request.canMakePayment();
        const response = await request.show();
        await response.complete('success');
        return {
          can, requestIsNative: request instanceof PaymentRequest, responseIsNative: response instanceof PaymentResponse,
          methodName: response.methodName, requestId: response.requestId, details: response.details as Record<string, unknown>,
          json: JSON.parse(JSON.stringify(response)),
        };
      },
      [[GOOGLE_PAY, { supportedMethods: 'basic-card' }] as PaymentMethodData[], { id: orderId, ...total('128.00') }] as const,
    );
    await answerInWindow(system, '128.00 CNY', 'Approve');
    const result = await answered;
    expect(result).toMatchObject({ can: true, requestIsNative: true, responseIsNative: true, methodName: 'basic-card', requestId: orderId });
    expect(result.details).toEqual({
      cardholderName: 'AgentPay token',
      cardNumber: expect.stringMatching(/^999\d{13}$/),
      expiryMonth: expect.stringMatching(/^(0[1-9]|1[0-2])$/),
      expiryYear: expect.stringMatching(/^20\d\d$/),
      cardSecurityCode: expect.stringMatching(/^\d{3}$/),
      billingAddress: null,
    });
    expect(result.json).toEqual({
      requestId: orderId, methodName: 'basic-card', details: result.details,
      shippingAddress: null, shippingOption: null, payerName: null, payerEmail: null, payerPhone: null,
    });

    // The page hands the card to its server, which charges it as any card it was given.
    const card = result.details as Record<string, string>;
    const form = new URLSearchParams({
      'cc-name': card.cardholderName!, 'cc-number': card.cardNumber!, 'cc-exp': `${card.expiryMonth}/${card.expiryYear!.slice(2)}`, 'cc-csc': card.cardSecurityCode!,
    });
    await fetch(`${system.shop.url}/orders/${orderId}/card`, { method: 'POST', body: form, redirect: 'manual' });
    expect(system.shop.orders.get(orderId).status).toBe('paid');
    await closeTab(page);
  });

  it.each([
    ['a wallet-only request (Google Pay, Apple Pay)', [GOOGLE_PAY, APPLE_PAY], /left this checkout to the browser's own payment sheet: it takes only Google Pay and Apple Pay, which AgentPay cannot answer/],
  ])('%s is left to the browser, which answers as it does without the extension, and the page says why', async (_what, methods, why) => {
    const page = await system.browser.context.newPage();
    await page.goto(system.shop.url);
    // The same request, once through the page's PaymentRequest and once through the browser's own.
    const run = (useNative: boolean) =>
      page.evaluate(
        async ([methods, details, useNative]) => {
          const Constructor = useNative ? (PaymentRequest.prototype.constructor as typeof PaymentRequest) : PaymentRequest;
          const request = new Constructor(methods, details);
          const can = await request.canMakePayment().then(String, (error: Error) => error.name);
          // Chromium's message ends with whichever method's manifest failed to load first: compare the rest.
          const shown = await request.show().then(() => 'resolved', (error: Error) => `${error.name}: ${error.message.replace(/ Unable to download .*$/, '')}`);
          return { can, shown, isNative: request instanceof PaymentRequest };
        },
        [methods, total('35.00'), useNative] as const,
      );
    expect(await page.evaluate(() => PaymentRequest.prototype.constructor !== PaymentRequest)).toBe(true);
    const native = await run(true);
    expect(await notice(page)).toBeNull(); // the browser's own request says nothing of the wallet
    expect(await run(false)).toEqual(native);
    await expect.poll(() => notice(page)).toEqual({ text: expect.stringMatching(why), role: 'status' });
    expect(await heldInWindow()).toBe(0);
    await closeTab(page);
  });
});
