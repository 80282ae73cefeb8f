/**
 * "Pay with an agent token": a form for the secret of a token the relay
 * granted an agent (the original checkout of this shop).
 *
 *   section#checkout-token, heading "Pay with an agent token"
 *   form POST /orders/:id/pay  field name="token" (aria-label "token"), button "Pay"
 *
 * Its route lives in app.ts beside the JSON API's POST /api/orders/:id/pay.
 */
import { esc, money } from '../html.ts';
import type { CheckoutShape } from './types.ts';

export const tokenShape: CheckoutShape = {
  id: 'checkout-token',
  render: (order) => `<section class="pay" id="checkout-token"><h3>Pay with an agent token</h3>
<p class="muted">The single-use token the relay granted your agent for ${money(order.amount.minor)}.</p>
<form method="post" action="/orders/${esc(order.orderId)}/pay"><input name="token" required size="40" placeholder="token secret" aria-label="token">
<button type="submit">Pay</button></form></section>`,
};
