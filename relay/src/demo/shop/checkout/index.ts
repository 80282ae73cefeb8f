import type { Order } from '../orders.ts';
import { dataScript } from '../html.ts';
import { cardShape } from './card.ts';
import { chineseCardShape } from './card-zh.ts';
import { http402Shape } from './http402.ts';
import { paymentRequestShape } from './payment-request.ts';
import { scanToPayShape } from './scan-to-pay.ts';
import { tokenShape } from './token.ts';
import type { CheckoutShape } from './types.ts';
import { walletShape } from './wallet.ts';

export type { CheckoutDeps, CheckoutShape } from './types.ts';

/**
 * Every way to pay an unpaid order, in the order the page shows them. Each is
 * one module; add a shape by adding it here. The ids and names each one
 * promises to the extension's end-to-end tests are at the top of its module
 * and in ../README.md.
 */
export const CHECKOUT_SHAPES: readonly CheckoutShape[] = [
  tokenShape,
  cardShape,
  chineseCardShape,
  paymentRequestShape,
  scanToPayShape,
  http402Shape,
  walletShape,
];

/**
 * What the shapes' page scripts share, once per order page:
 * `#order-data` (the order as the JSON API gives it) and `window.shop`
 * with `payWithToken(secret)`, `say(elementId, text, isError)` and `paid()`.
 */
export function checkoutScript(order: Order): string {
  return `${dataScript('order-data', order)}
<script>
window.shop = {
  order: JSON.parse(document.getElementById('order-data').textContent),
  async payWithToken(token) {
    const response = await fetch('/api/orders/' + encodeURIComponent(this.order.orderId) + '/pay', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(body && body.error ? body.error.code + ': ' + body.error.message : 'the shop answered ' + response.status);
    return body;
  },
  say(id, text, isError) {
    const element = document.getElementById(id);
    element.textContent = text;
    element.className = isError ? 'error' : 'muted';
  },
  /** The server renders the paid order; reloading shows exactly that. */
  paid() { location.reload(); },
};
</script>`;
}
