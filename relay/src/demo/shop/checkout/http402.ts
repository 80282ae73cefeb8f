/**
 * HTTP 402 with x402 v2: the order's receipt is a paid resource, served by the official x402
 * resource server (`@x402/core`) with the relay as its facilitator (x402/src/server.ts). Fetching
 * it unpaid answers 402 with what to pay; a retry carrying a PAYMENT-SIGNATURE is verified by the
 * relay, then charged once, and answers the receipt.
 *
 *   section#checkout-http402, heading "Pay on request (HTTP 402)"
 *   button#get-receipt "Get receipt PDF" → fetch('/api/orders/:id/receipt')
 *   #receipt-status (role=status): "Payment required: …" after a 402
 *   pre#receipt: the receipt JSON after a 200 (and #order-status reads "Paid")
 *
 *   GET /api/orders/:id/receipt
 *     unpaid, no PAYMENT-SIGNATURE → 402, PAYMENT-REQUIRED: base64(JSON { x402Version: 2, resource, accepts: [{
 *                            scheme: 'exact', network: 'agentpay:…', amount, asset, payTo: <merchant id>,
 *                            extra: { reference: <order id>, lineItems, category } }] })
 *     PAYMENT-SIGNATURE: base64(JSON { x402Version: 2, accepted, payload: { token } })
 *       good  → 200 receipt JSON, PAYMENT-RESPONSE: base64(JSON { success: true, transaction: <charge id>, network })
 *       bad   → 402 again, with the relay's reason (token_already_used, token_amount_mismatch, …)
 *     paid already → 200 receipt (a paid order is never charged again)
 *
 *   GET /api/tea-guide: a pay-per-request article (¥2.00), the plainest x402 resource; its `reader`
 *   says whether an AgentPay agent's signed request (Web Bot Auth) or an anonymous one was served.
 */
import type { PaymentOption } from '@x402/core/http';
import type { RoutesConfig, x402HTTPResourceServer } from '@x402/core/server';
import type { Network } from '@x402/core/types';
import { requestContext, respond, x402Payments } from '@agentpay/x402';
import type { Context } from 'hono';
import { SHOP_NAME } from '../catalog.ts';
import type { Order, OrderBook } from '../orders.ts';
import type { CheckoutShape } from './types.ts';

export const RECEIPT_ROUTE = 'GET /api/orders/*/receipt';
export const GUIDE_ROUTE = 'GET /api/tea-guide';
export const GUIDE_PRICE = { minor: 2_00, currency: 'CNY' } as const;

/** The shop's paid routes for the official resource server, priced per order. */
export function paidRoutes(network: Network, orders: OrderBook): RoutesConfig {
  const accepts = (price: PaymentOption['price']): PaymentOption => ({ scheme: 'exact', network, payTo: orders.merchantId, maxTimeoutSeconds: 300, price });
  return {
    [RECEIPT_ROUTE]: {
      description: `${SHOP_NAME} receipt`,
      mimeType: 'application/json',
      accepts: accepts((context) => {
        const order = orders.get(context.path.split('/')[3] ?? '');
        return {
          amount: String(order.amount.minor),
          asset: order.amount.currency,
          extra: { reference: order.orderId, lineItems: order.lineItems, category: order.category, merchantName: SHOP_NAME },
        };
      }),
    },
    [GUIDE_ROUTE]: {
      description: `${SHOP_NAME}: the brewing guide`,
      mimeType: 'application/json',
      accepts: accepts({ amount: String(GUIDE_PRICE.minor), asset: GUIDE_PRICE.currency, extra: { category: 'digital_goods', merchantName: SHOP_NAME } }),
    },
  };
}

function receipt(order: Order) {
  return { receipt: { orderId: order.orderId, merchant: { id: order.merchantId, name: SHOP_NAME }, lineItems: order.lineItems, amount: order.amount, chargeId: order.chargeId, paidAt: order.paidAt } };
}

const SCRIPT = `<script>
document.getElementById('get-receipt').addEventListener('click', async () => {
  const say = (text, isError) => shop.say('receipt-status', text, isError);
  try {
    const response = await fetch('/api/orders/' + encodeURIComponent(shop.order.orderId) + '/receipt');
    const body = await response.json().catch(() => ({}));
    if (response.status === 402) return say('Payment required: ' + (body.error || 'this receipt is paid for through HTTP 402'), true);
    if (!response.ok) return say(body.error.code + ': ' + body.error.message, true);
    document.getElementById('receipt').textContent = JSON.stringify(body.receipt, null, 2);
    say('Receipt received.', false);
    shop.say('order-status', 'Paid', false);
  } catch (error) {
    say('Could not get the receipt: ' + error.message, true);
  }
});
</script>`;

async function payReceipt(c: Context, x402: x402HTTPResourceServer, orders: OrderBook): Promise<Response> {
  const order = orders.get(c.req.param('id')!);
  if (order.status === 'paid') return c.json(receipt(order));
  // The official server judges the payment (402 with its reasons, or verified by the relay) …
  const context = requestContext(c);
  const verified = await x402.processHTTPRequest(context);
  if (verified.type === 'payment-error') return respond(verified.response);
  if (verified.type !== 'payment-verified') throw new Error(`${RECEIPT_ROUTE} must be a paid route`);
  // … and it is charged inside the order's own queue, so two payments racing for one order charge once.
  let headers: Record<string, string> = {};
  // A settlement the relay refused: its 402 goes back to the client as the official server wrote it.
  let refused: Response | undefined;
  try {
    const paid = await orders.settle(order.orderId, async () => {
      const settled = await x402.processSettlement(verified.paymentPayload, verified.paymentRequirements, verified.declaredExtensions, { request: context });
      if (!settled.success) {
        refused = respond(settled.response, settled.headers);
        throw new Error(settled.errorMessage ?? settled.errorReason);
      }
      headers = settled.headers;
      return { id: settled.transaction };
    });
    return c.json(receipt(paid), 200, headers);
  } catch (error) {
    if (refused) return refused;
    throw error;
  }
}

export const http402Shape: CheckoutShape = {
  id: 'checkout-http402',
  render: () => `<section class="pay" id="checkout-http402"><h3>Pay on request (HTTP 402)</h3>
<p class="muted">The receipt is a paid resource: fetching it asks for payment (HTTP 402, x402 v2), which an AgentPay wallet answers.</p>
<button type="button" id="get-receipt">Get receipt PDF</button>
<p id="receipt-status" role="status"></p><pre id="receipt"></pre>${SCRIPT}</section>`,
  routes(app, deps) {
    const x402 = deps.x402;
    if (!x402) return;
    app.get('/api/orders/:id/receipt', (c) => payReceipt(c, x402, deps.orders));
    app.get('/api/tea-guide', x402Payments(x402), (c) =>
      c.json({
        guide: { title: 'Brewing Longjing', steps: ['Warm the glass', '80 °C water, not boiling', 'Three grams, two minutes'] },
        // Who the shop served, as its Web Bot Auth check saw it (signed-agents.ts).
        reader: c.get('signedAgent') ? { signedAgent: c.get('signedAgent') } : 'anonymous',
      }));
  },
};
