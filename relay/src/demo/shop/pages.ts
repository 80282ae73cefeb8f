import { formatMoney, type LineItem } from '@agentpay/protocol';
import { CURRENCY, type Product, SHOP_NAME } from './catalog.ts';
import type { Order } from './orders.ts';

/** Escapes text for HTML; every value that reaches a page goes through it. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const money = (minor: number) => esc(formatMoney({ minor, currency: CURRENCY }));

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  header a { color: inherit; text-decoration: none; } h1 { margin-bottom: 0; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; } td, th { padding: .4rem; border-bottom: 1px solid #ddd; text-align: left; }
  td.num, th.num { text-align: right; } input[type=number] { width: 4rem; } .muted { color: #777; font-size: .9rem; }
  .error { background: #fde8e8; border: 1px solid #f5b5b5; padding: .5rem .8rem; } .paid { color: #176b2c; font-weight: 600; }
  section.pay { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
  button { font: inherit; padding: .3rem 1rem; }`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(SHOP_NAME)}</title><style>${STYLE}</style></head>
<body><header><h1><a href="/">${esc(SHOP_NAME)}</a></h1><p class="muted">A demo merchant of the agent payment relay. Agents use the JSON API under /api.</p></header>
<main>${body}</main></body></html>`;
}

const errorBox = (error?: { code: string; message: string }) =>
  error ? `<p class="error" role="alert"><strong>${esc(error.code)}</strong>: ${esc(error.message)}</p>` : '';

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
 * Ways to pay an unpaid order, each its own section of the order page. Today
 * only a token an agent was granted; further checkout shapes (card form,
 * Payment Request, QR) are added to this list.
 */
export const CHECKOUT_SHAPES: ((order: Order) => string)[] = [
  (order) => `<section class="pay"><h3>Pay with an agent token</h3>
<p class="muted">The single-use token the relay granted your agent for ${money(order.amount.minor)}.</p>
<form method="post" action="/orders/${esc(order.orderId)}/pay"><input name="token" required size="40" placeholder="token secret" aria-label="token">
<button type="submit">Pay</button></form></section>`,
];

export function orderPage(order: Order, error?: { code: string; message: string }): string {
  const status =
    order.status === 'paid'
      ? `<p class="paid">Paid ${esc(order.paidAt)} · charge ${esc(order.chargeId)}</p>`
      : `<p>Awaiting payment.</p>${CHECKOUT_SHAPES.map((shape) => shape(order)).join('')}`;
  return layout(`Order ${order.orderId}`, `<h2>Order <code>${esc(order.orderId)}</code></h2>${errorBox(error)}
${lineTable(order.lineItems, order.amount.minor)}${status}
<p class="muted">Merchant ${esc(order.merchantId)} · JSON: <a href="/api/orders/${esc(order.orderId)}">/api/orders/${esc(order.orderId)}</a></p>`);
}

export function notFoundPage(message: string): string {
  return layout('Not found', `<p class="error">${esc(message)}</p><p><a href="/">Back to the shop</a></p>`);
}
