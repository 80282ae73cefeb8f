/**
 * W3C Payment Request: the browser's own payment sheet, with AgentPay as a
 * payment method (a payment handler the extension provides).
 *
 *   section#checkout-payment-request, heading "Payment Request"
 *   button#pay-payment-request "Pay with Payment Request"
 *   #payment-request-status (role=status): why it did not work, if it did not
 *   script#payment-request-data (JSON): { methods, details } exactly as passed to PaymentRequest
 *
 * The script calls
 *   new PaymentRequest([{ supportedMethods: 'https://agentpay.dev/pay',
 *       data: { merchantId, reference, amount, lineItems, category, description } }],
 *     { id: orderId, total: { label: 'Total', amount: { currency, value: '259.00' } }, displayItems })
 *   .show()
 * then POSTs `response.details.token` (the token secret; `{ secret }` is taken
 * too) to /api/orders/:id/pay, calls response.complete('success' | 'fail') and
 * reloads to show "Paid". `data` carries the protocol's own amount and line
 * items so the handler need not turn decimal strings back into minor units.
 */
import { SHOP_NAME } from '../catalog.ts';
import { dataScript } from '../html.ts';
import type { Order } from '../orders.ts';
import { minorToDecimal } from '@agentpay/protocol';
import type { CheckoutShape } from './types.ts';

export const PAYMENT_METHOD = 'https://agentpay.dev/pay';

/** The two arguments of `new PaymentRequest(methods, details)` for an order. */
export function paymentRequestArgs(order: Order) {
  const { currency } = order.amount;
  return {
    methods: [{
      supportedMethods: PAYMENT_METHOD,
      data: {
        merchantId: order.merchantId, reference: order.orderId, amount: order.amount,
        lineItems: order.lineItems, category: order.category, description: `${SHOP_NAME} order ${order.orderId}`,
      },
    }],
    details: {
      id: order.orderId,
      total: { label: 'Total', amount: { currency, value: minorToDecimal(order.amount.minor, currency) } },
      displayItems: order.lineItems.map((item) => ({
        label: `${item.name} × ${item.quantity}`,
        amount: { currency, value: minorToDecimal(item.quantity * item.unitMinor, currency) },
      })),
    },
  };
}

const SCRIPT = `<script>
document.getElementById('pay-payment-request').addEventListener('click', async () => {
  const say = (text, isError) => shop.say('payment-request-status', text, isError);
  if (typeof PaymentRequest !== 'function') return say('This browser has no Payment Request API.', true);
  const { methods, details } = JSON.parse(document.getElementById('payment-request-data').textContent);
  let response;
  try {
    response = await new PaymentRequest(methods, details).show();
  } catch (error) {
    return say('Payment Request did not complete: ' + error.name + ': ' + error.message, true);
  }
  const token = response.details && (typeof response.details.token === 'string' ? response.details.token : response.details.token && response.details.token.secret);
  try {
    if (!token) throw new Error('the payment handler returned no token');
    await shop.payWithToken(token);
  } catch (error) {
    await response.complete('fail');
    return say(error.message, true);
  }
  await response.complete('success');
  shop.paid();
});
</script>`;

export const paymentRequestShape: CheckoutShape = {
  id: 'checkout-payment-request',
  render: (order) => `<section class="pay" id="checkout-payment-request"><h3>Payment Request</h3>
<p class="muted">Your browser's payment sheet, paid by an AgentPay payment handler.</p>
${dataScript('payment-request-data', paymentRequestArgs(order))}
<button type="button" id="pay-payment-request">Pay with Payment Request</button>
<p id="payment-request-status" role="status"></p>${SCRIPT}</section>`,
};
