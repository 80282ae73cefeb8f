/**
 * HTTP 402, x402 style: the order's receipt is a paid resource. Fetching it
 * unpaid answers 402 with what to pay; a retry carrying a relay token pays
 * the order and answers the receipt. Header formats: protocol/src/x402.ts.
 *
 *   section#checkout-http402, heading "Pay on request (HTTP 402)"
 *   button#get-receipt "Get receipt PDF" → fetch('/api/orders/:id/receipt')
 *   #receipt-status (role=status): "Payment required: …" after a 402
 *   pre#receipt: the receipt JSON after a 200 (and #order-status reads "Paid")
 *
 *   GET /api/orders/:id/receipt
 *     unpaid, no X-PAYMENT → 402, PAYMENT-REQUIRED: base64(JSON { x402Version: 1, accepts: [{ scheme: 'agentpay', … }] }),
 *                            body { error: { code: 'payment_required', message }, x402Version, accepts }
 *     X-PAYMENT: base64(JSON { scheme: 'agentpay', reference, token })
 *       good  → 200 receipt JSON, X-PAYMENT-RESPONSE: base64(JSON { chargeId })
 *       bad   → 402 again, PAYMENT-REQUIRED again, error naming what was wrong
 *               (invalid_payment, payment_reference_mismatch, or the relay's token_* code)
 *     paid already → 200 receipt (a paid order is never charged again)
 */
import {
  decodePaymentPayload, encodePaymentRequired, encodePaymentResponse, PAYMENT_HEADER, PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER, type PaymentRequired, X402_SCHEME, X402Error,
} from '@agentpay/protocol';
import type { Context } from 'hono';
import { SHOP_NAME } from '../catalog.ts';
import { ShopError } from '../errors.ts';
import type { Order } from '../orders.ts';
import type { CheckoutShape } from './types.ts';

function paymentRequired(order: Order): PaymentRequired {
  return {
    x402Version: 1,
    accepts: [{
      scheme: X402_SCHEME, merchantId: order.merchantId, amount: order.amount, lineItems: order.lineItems,
      category: order.category, reference: order.orderId, description: `${SHOP_NAME} receipt for order ${order.orderId}`,
    }],
  };
}

function challenge(c: Context, order: Order, error: ShopError): Response {
  const required = paymentRequired(order);
  c.header(PAYMENT_REQUIRED_HEADER, encodePaymentRequired(required));
  return c.json({ ...error.toBody(), ...required }, 402);
}

function receipt(order: Order) {
  return { receipt: { orderId: order.orderId, merchant: { id: order.merchantId, name: SHOP_NAME }, lineItems: order.lineItems, amount: order.amount, chargeId: order.chargeId, paidAt: order.paidAt } };
}

const SCRIPT = `<script>
document.getElementById('get-receipt').addEventListener('click', async () => {
  const say = (text, isError) => shop.say('receipt-status', text, isError);
  try {
    const response = await fetch('/api/orders/' + encodeURIComponent(shop.order.orderId) + '/receipt');
    const body = await response.json();
    if (response.status === 402) return say('Payment required: ' + body.error.message, true);
    if (!response.ok) return say(body.error.code + ': ' + body.error.message, true);
    document.getElementById('receipt').textContent = JSON.stringify(body.receipt, null, 2);
    say('Receipt received.', false);
    shop.say('order-status', 'Paid', false);
  } catch (error) {
    say('Could not get the receipt: ' + error.message, true);
  }
});
</script>`;

export const http402Shape: CheckoutShape = {
  id: 'checkout-http402',
  render: () => `<section class="pay" id="checkout-http402"><h3>Pay on request (HTTP 402)</h3>
<p class="muted">The receipt is a paid resource: fetching it asks for payment (HTTP 402), which an AgentPay wallet answers.</p>
<button type="button" id="get-receipt">Get receipt PDF</button>
<p id="receipt-status" role="status"></p><pre id="receipt"></pre>${SCRIPT}</section>`,
  routes(app, deps) {
    app.get('/api/orders/:id/receipt', async (c) => {
      const order = deps.orders.get(c.req.param('id'));
      const header = c.req.header(PAYMENT_HEADER);
      if (order.status === 'paid') return c.json(receipt(order));
      if (header === undefined) {
        return challenge(c, order, new ShopError('payment_required', `this receipt costs the order's total; retry with an ${PAYMENT_HEADER} header (see ${PAYMENT_REQUIRED_HEADER})`, 402));
      }
      let payment;
      try {
        payment = decodePaymentPayload(header);
      } catch (error) {
        if (error instanceof X402Error) return challenge(c, order, new ShopError('invalid_payment', error.message, 402));
        throw error;
      }
      if (payment.reference !== order.orderId) {
        return challenge(c, order, new ShopError('payment_reference_mismatch', `${PAYMENT_HEADER} pays reference ${payment.reference}, but this is order ${order.orderId}`, 402));
      }
      let paid: Order;
      try {
        paid = await deps.orders.pay(order.orderId, payment.token, deps.charge);
      } catch (error) {
        // The relay refused the token (token_expired, token_amount_exceeded, …): still payable, so 402 again.
        if (error instanceof ShopError && error.status < 500) return challenge(c, order, error);
        throw error;
      }
      c.header(PAYMENT_RESPONSE_HEADER, encodePaymentResponse({ chargeId: paid.chargeId! }));
      return c.json(receipt(paid));
    });
  },
};
