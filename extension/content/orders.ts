import { LineItem, Money, Category, readAskedPayment } from '@agentpay/protocol';
import * as z from 'zod';
import { ZodError } from 'zod';
import { readDecimalPrice } from '../checkout/money-text.ts';
import { readPageOrder } from '../checkout/page-order.ts';
import { deepQuery } from './shadow-roots.ts';
import { idsOf } from '../checkout/payment-methods.ts';
import type { CheckoutOrder } from '../shared/messages.ts';
import { PAYMENT_METHOD } from '../shared/page-channel.ts';
import type { PageRequest } from '../shared/page-messages.ts';
import { orderDescription } from '../checkout/total-label.ts';


/** What `window.agentpay.requestPayment()` takes; the merchant is who the browser says the page is. */
export const ProviderPaymentRequest = z
  .object({
    merchantId: z.string().max(64).optional(),
    amount: Money,
    lineItems: z.array(LineItem).max(200).default([]),
    category: Category.optional(),
    reference: z.string().max(120).optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

/**
 * Turns a page's request into the order the user will be asked about. Each
 * shape is read in its own terms; a request that does not make sense throws
 * with a sentence naming what was wrong.
 */
export function orderFrom(request: Exclude<PageRequest, { kind: 'provider.identify' | 'card-form.held' | 'card-request.held' }>): CheckoutOrder {
  switch (request.kind) {
    case 'payment-request.show': {
      const { total, displayItems = [] } = request.details;
      const currency = total.amount.currency.toUpperCase();
      const amount = { minor: readDecimalPrice(total.amount.value, currency), currency };
      const items = displayItems
        .filter((item) => item.amount.currency.toUpperCase() === currency)
        .map((item) => ({ name: item.label || 'item', quantity: 1, unitMinor: readDecimalPrice(item.amount.value, currency) }));
      // AgentPay's own method may say more of the order; other methods' data is theirs.
      const ours = request.methodData.find((m) => idsOf(m).includes(PAYMENT_METHOD))?.data as Record<string, unknown> | undefined;
      const category = Category.safeParse(ours?.category);
      return {
        amount,
        lineItems: items.reduce((sum, i) => sum + i.unitMinor, 0) === amount.minor ? items : [],
        ...(category.success ? { category: category.data } : {}),
        description: orderDescription(total.label, document.title),
        reference: typeof ours?.reference === 'string' ? ours.reference.slice(0, 120) : request.details.id,
        merchantId: typeof ours?.merchantId === 'string' ? ours.merchantId : undefined,
      };
    }
    case 'http-402': {
      // x402 v2, or the first v1-shaped dialect some sites still speak.
      const asked = readAskedPayment(request.paymentRequired);
      return {
        amount: asked.amount,
        lineItems: asked.lineItems,
        ...(asked.category ? { category: asked.category } : {}),
        description: asked.description ?? `Paid access to ${new URL(request.url).pathname}`,
        reference: asked.reference ?? new URL(request.url).pathname.slice(0, 120),
        merchantId: asked.merchantId,
      };
    }
    case 'provider.request-payment': {
      const parsed = ProviderPaymentRequest.parse(request.request);
      return { ...parsed, description: parsed.description ?? document.title };
    }
  }
}

/**
 * The order this page shows, for a card checkout held in it or in one of its
 * frames: the total nearest the held form, else nearest the page's card
 * fields, else anywhere on the page. `currencies` are the merchant's, to tell
 * apart the currencies that share a symbol.
 */
export function readShownOrder(form: Element | null, currencies: string[], options: { stopAtUnsure?: boolean } = {}): CheckoutOrder {
  const scope = form ?? deepQuery('input[autocomplete~="cc-number"], input[name*="card" i], input[id*="card" i]');
  const order = readPageOrder(document, scope, { currencies, ...options });
  return { ...order, description: order.description || document.title };
}

/** A failure in words a person can act on: zod's issues as "field: problem", anything else by its message. */
export function problemOf(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
  return (error as Error)?.message ?? String(error);
}
