import { formatMoney, type LineItem } from '@agentpay/protocol';
import type { Product } from './catalog.ts';
import { CHECKOUT_SHAPES, type CheckoutDeps, checkoutScript } from './checkout/index.ts';
import { errorBox, esc, layout, money } from './html.ts';
import type { Order } from './orders.ts';

export { CHECKOUT_SHAPES, esc, layout };

/** The product list; its form asks for quantities and goes to the checkout page. */
export function productsPage(products: readonly Product[]): string {
  const rows = products
    .map((p) => `<tr><td><strong>${esc(p.name)}</strong><br><span class="muted">${esc(p.description)}</span></td>
      <td class="num">${money(p.unitMinor)}</td>
      <td class="num"><input type="number" name="${esc(p.id)}" min="0" max="99" value="0" aria-label="quantity of ${esc(p.name)}"></td></tr>`)
    .join('');
  return layout('Products', `<form method="get" action="/checkout">
<table><thead><tr><th>Product</th><th class="num">Price</th><th class="num">Quantity</th></tr></thead><tbody>${rows}</tbody></table>
<button type="submit">Review order</button></form>`);
}

function lineTable(lines: LineItem[], totalMinor: number): string {
  const rows = lines
    .map((l) => `<tr><td>${esc(l.name)}</td><td class="num">${l.quantity} × ${money(l.unitMinor)}</td><td class="num">${money(l.quantity * l.unitMinor)}</td></tr>`)
    .join('');
  return `<table><tbody>${rows}</tbody><tfoot><tr><th>Total</th><th></th><th class="num">${money(totalMinor)}</th></tr></tfoot></table>`;
}

/** The cart, to review before the order is placed. `items` become hidden fields of the form. */
export function checkoutPage(cart: { productId: string; quantity: number }[], lines: LineItem[], error?: { code: string; message: string }): string {
  if (lines.length === 0) return layout('Checkout', `${errorBox(error)}<p>Your cart is empty. <a href="/">Choose some tea.</a></p>`);
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitMinor, 0);
  const hidden = cart.map((i) => `<input type="hidden" name="${esc(i.productId)}" value="${i.quantity}">`).join('');
  return layout('Checkout', `<h2>Checkout</h2>${errorBox(error)}${lineTable(lines, total)}
<form method="post" action="/checkout">${hidden}<button type="submit">Place order</button> <a href="/">Back</a></form>`);
}

/**
 * The order, and while it is unpaid every way to pay it: one section per
 * checkout shape (checkout/index.ts lists them). `#order-status` reads
 * "Awaiting payment." or "Paid …".
 */
export async function orderPage(order: Order, deps: CheckoutDeps, error?: { code: string; message: string }): Promise<string> {
  const status =
    order.status === 'paid'
      ? `<p class="paid" id="order-status" role="status">Paid ${esc(order.paidAt)} · charge ${esc(order.chargeId)}</p>${refundNote(order)}`
      : `<p id="order-status" role="status">Awaiting payment.</p>${checkoutScript(order)}${(await Promise.all(CHECKOUT_SHAPES.map((shape) => shape.render(order, deps)))).join('')}`;
  return layout(`Order ${order.orderId}`, `<h2>Order <code>${esc(order.orderId)}</code></h2>${errorBox(error)}
${lineTable(order.lineItems, order.amount.minor)}${status}
<p class="muted">Merchant ${esc(order.merchantId)} · JSON: <a href="/api/orders/${esc(order.orderId)}">/api/orders/${esc(order.orderId)}</a></p>`);
}

/** What the shop learnt of refunds from the relay: the whole amount or part of it given back. */
function refundNote(order: Order): string {
  if (!order.refund) return '';
  const amount = esc(formatMoney(order.refund.amount));
  const text = order.refund.status === 'refunded' ? `Refunded in full: ${amount} returned to the buyer.` : `Partly refunded: ${amount} of ${esc(formatMoney(order.amount))} returned to the buyer.`;
  return `<p class="refunded" id="order-refund" role="status">${text}</p>`;
}

export function notFoundPage(message: string): string {
  return layout('Not found', `<p class="error">${esc(message)}</p><p><a href="/">Back to the shop</a></p>`);
}
