/**
 * "Pay by card": the card form browsers and password managers autofill.
 *
 *   section#checkout-card, heading "Pay by card"
 *   form#card-form  POST /orders/:id/card
 *     #card-name   name="cc-name"   autocomplete="cc-name"   label "Name on card"
 *     #card-number name="cc-number" autocomplete="cc-number" label "Card number"
 *     #card-exp    name="cc-exp"    autocomplete="cc-exp"    label "Expiry (MM/YY)"
 *     #card-csc    name="cc-csc"    autocomplete="cc-csc"    label "Security code (CVC)"
 *     button#pay-card "Pay by card"
 *
 * The shop charges the relay with `{ card: { number, expMonth, expYear, cvc } }`:
 * the card details of an agent's token. A real card is not a token, so the
 * relay refuses it; the refusal is shown on the order page, which stays unpaid.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ShopError } from '../errors.ts';
import { esc } from '../html.ts';
import type { Order } from '../orders.ts';
import { type CardFormFields, type CardLabels, readCard } from './card-fields.ts';
import type { CheckoutDeps, CheckoutShape } from './types.ts';

const LABELS: CardLabels = { name: 'Name on card', number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'Security code (CVC)' };

export const cardShape: CheckoutShape = {
  id: 'checkout-card',
  render: (order) => `<section class="pay" id="checkout-card"><h3>Pay by card</h3>
<form id="card-form" method="post" action="/orders/${esc(order.orderId)}/card">
<label for="card-name">${LABELS.name}</label><input id="card-name" name="cc-name" autocomplete="cc-name" required>
<label for="card-number">${LABELS.number}</label><input id="card-number" name="cc-number" autocomplete="cc-number" inputmode="numeric" required size="24">
<label for="card-exp">${LABELS.expiry}</label><input id="card-exp" name="cc-exp" autocomplete="cc-exp" placeholder="MM/YY" required size="7">
<label for="card-csc">${LABELS.cvc}</label><input id="card-csc" name="cc-csc" autocomplete="cc-csc" inputmode="numeric" required size="5">
<p><button type="submit" id="pay-card">Pay by card</button></p></form></section>`,
  routes(app, deps) {
    app.post('/orders/:id/card', async (c) => {
      const form = await c.req.parseBody();
      const fields = { name: form['cc-name'], number: form['cc-number'], expiry: form['cc-exp'], cvc: form['cc-csc'] };
      return payByCard(c, deps, fields, LABELS, (order, error) => deps.orderPage(order, error));
    });
  },
};

/**
 * Pays the order with a card form's fields: paid → back to the order page
 * (303); refused (by the shop's form check or by the relay) → the form's page
 * again with the reason, and the order stays unpaid. Card data is never echoed.
 */
export async function payByCard(
  c: Context,
  deps: CheckoutDeps,
  fields: CardFormFields,
  labels: CardLabels,
  page: (order: Order, error: ShopError) => Promise<string>,
): Promise<Response> {
  const id = c.req.param('id')!;
  const order = deps.orders.get(id);
  try {
    const card = readCard(fields, labels);
    await deps.orders.settle(order.orderId, (current) => deps.chargeCard(current, card));
    return c.redirect(`/orders/${encodeURIComponent(id)}`, 303);
  } catch (error) {
    if (!(error instanceof ShopError) || error.code === 'not_found') throw error;
    return c.html(await page(deps.orders.get(id), error), error.status as ContentfulStatusCode);
  }
}
