/**
 * "Scan to pay": a QR code of the shop's signed payment code
 * (protocol/src/payment-code.ts: `agentpay://pay?jws=…`), for a phone,
 * glasses or the extension to read and pay.
 *
 *   section#checkout-scan-to-pay, heading "Scan to pay"
 *   img#scan-to-pay-qr alt="Scan to pay" (PNG data: URL, 480 px drawn at 240 CSS px)
 *   code#payment-code-text: the same code as text, inside a <details>
 *   #scan-to-pay-status (role=status); the page polls GET /api/orders/:id every
 *     second and reloads ("Paid …" in #order-status) once the order is paid
 *
 *   POST /api/payment-codes/notify  { reference, token }  → the order (JSON)
 *     The wallet's call after the relay granted a token: the shop charges it.
 *     Idempotent: a paid order is answered as it is and charged nothing.
 */
import { encodePaymentCode, invalidRequest } from '@agentpay/protocol';
import QRCode from 'qrcode';
import * as z from 'zod';
import { SHOP_NAME } from '../catalog.ts';
import { ShopError } from '../errors.ts';
import { esc, layout, money } from '../html.ts';
import type { Order } from '../orders.ts';
import { checkoutScript } from './script.ts';
import type { CheckoutDeps, CheckoutShape } from './types.ts';

export const NOTIFY_PATH = '/api/payment-codes/notify';
/** Long enough to walk to the counter and confirm on a phone; the page makes a fresh one on each load. */
const CODE_TTL_MS = 15 * 60 * 1000;

const Notify = z.object({ reference: z.string().min(1, 'reference (the order id) is required'), token: z.string().min(1, 'token is required') }).strict();

/** The order as a signed payment code. */
export function paymentCodeFor(order: Order, deps: CheckoutDeps): Promise<string> {
  return encodePaymentCode({
    v: 1,
    merchantId: order.merchantId,
    amount: order.amount,
    lineItems: order.lineItems,
    category: order.category,
    reference: order.orderId,
    description: `${SHOP_NAME} order ${order.orderId}`,
    notify: new URL(NOTIFY_PATH, deps.shopUrl).href,
    expiresAt: new Date(deps.now().getTime() + CODE_TTL_MS).toISOString(),
  }, deps.signingKey);
}

const POLL = `<script>
(() => {
  const timer = setInterval(async () => {
    try {
      const response = await fetch('/api/orders/' + encodeURIComponent(shop.order.orderId));
      const order = await response.json();
      if (order.status !== 'paid') return;
      clearInterval(timer);
      shop.say('scan-to-pay-status', 'Paid', false);
      shop.paid();
    } catch (error) {
      shop.say('scan-to-pay-status', 'Could not check the order: ' + error.message, true);
    }
  }, 1000);
})();
</script>`;

/** The QR code section of the scan-to-pay page. */
async function qrSection(order: Order, deps: CheckoutDeps): Promise<string> {
  const code = await paymentCodeFor(order, deps);
  // Error correction M survives a phone camera's blur; 480 px keeps modules crisp when read from the data URL.
  const png = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
  return `<section class="pay" id="scan-to-pay-code"><h3>Scan to pay</h3>
<p><img id="scan-to-pay-qr" src="${esc(png)}" alt="Scan to pay" width="240" height="240"></p>
<details><summary>Payment code as text</summary><code id="payment-code-text" style="word-break: break-all">${esc(code)}</code></details>
<p id="scan-to-pay-status" class="muted" role="status">Waiting for the payment…</p>${POLL}</section>`;
}

/**
 * The code is shown on a page of its own, as checkouts that take wallet apps
 * do: a page whose one way to pay is the code, so a wallet that finds it
 * there knows the payer chose it (on the order page, beside five other ways
 * to pay, it would be a guess).
 */
export const scanToPayShape: CheckoutShape = {
  id: 'checkout-scan-to-pay',
  render: (order) => `<section class="pay" id="checkout-scan-to-pay"><h3>Scan to pay</h3>
<p><a id="scan-to-pay-link" href="/orders/${encodeURIComponent(order.orderId)}/pay/qr">Pay by scanning a QR code with a wallet app</a></p></section>`,
  routes(app, deps) {
    app.get('/orders/:id/pay/qr', async (c) => {
      const order = deps.orders.get(c.req.param('id'));
      if (order.status === 'paid') return c.redirect(`/orders/${encodeURIComponent(order.orderId)}`, 303);
      return c.html(layout(`Scan to pay ${order.orderId}`, `<h2>Order <code>${esc(order.orderId)}</code>: ${money(order.amount.minor)}</h2>
<p id="order-status" role="status">Awaiting payment.</p>${checkoutScript(order)}${await qrSection(order, deps)}`));
    });
    app.post(NOTIFY_PATH, async (c) => {
      const body = Notify.safeParse(await c.req.json().catch(() => {
        throw new ShopError('invalid_json', `${NOTIFY_PATH} takes JSON { "reference": "<order id>", "token": "<token secret>" }`, 400);
      }));
      if (!body.success) {
        const error = invalidRequest('the payment-code notification', body.error.issues);
        throw new ShopError(error.code, error.message, 400);
      }
      return c.json(await deps.orders.pay(body.data.reference, body.data.token, deps.charge));
    });
  },
};
