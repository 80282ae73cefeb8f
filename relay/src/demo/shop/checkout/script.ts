import { dataScript } from '../html.ts';
import type { Order } from '../orders.ts';

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
