/**
 * An injected wallet provider, as crypto wallets do it: the extension puts
 * `window.agentpay` into the page and the shop's script asks it to pay.
 *
 *   section#checkout-wallet, heading "AgentPay wallet"
 *   button#pay-agentpay-wallet "Pay with AgentPay wallet"
 *   #agentpay-wallet-status (role=status): "no AgentPay wallet in this browser"
 *     when window.agentpay is missing at click time, or why paying failed
 *
 * The script calls
 *   await window.agentpay.requestPayment({ merchantId, amount, lineItems, category, reference, description })
 * (the provider resolves `{ token: "<secret>" }`; `{ token: { secret } }`, a
 * TokenGrant, is taken too), POSTs the secret to /api/orders/:id/pay and
 * reloads to show "Paid". The provider is looked up at click time, so one
 * injected after the page loaded still works.
 */
import { SHOP_NAME } from '../catalog.ts';
import { dataScript } from '../html.ts';
import type { Order } from '../orders.ts';
import type { CheckoutShape } from './types.ts';

/** What the page asks the provider for: the fields of an intent, plus the order reference. */
export function walletRequest(order: Order) {
  return {
    merchantId: order.merchantId, amount: order.amount, lineItems: order.lineItems, category: order.category,
    reference: order.orderId, description: `${SHOP_NAME} order ${order.orderId}`,
  };
}

const SCRIPT = `<script>
document.getElementById('pay-agentpay-wallet').addEventListener('click', async () => {
  const say = (text, isError) => shop.say('agentpay-wallet-status', text, isError);
  if (!window.agentpay || typeof window.agentpay.requestPayment !== 'function') return say('no AgentPay wallet in this browser', true);
  try {
    const result = await window.agentpay.requestPayment(JSON.parse(document.getElementById('agentpay-wallet-request').textContent));
    const token = result && (typeof result.token === 'string' ? result.token : result.token && result.token.secret);
    if (!token) throw new Error('the wallet returned no token');
    say('Paying…', false);
    await shop.payWithToken(token);
    shop.paid();
  } catch (error) {
    say('The wallet did not pay: ' + (error && error.message ? error.message : String(error)), true);
  }
});
</script>`;

export const walletShape: CheckoutShape = {
  id: 'checkout-wallet',
  render: (order) => `<section class="pay" id="checkout-wallet"><h3>AgentPay wallet</h3>
${dataScript('agentpay-wallet-request', walletRequest(order))}
<button type="button" id="pay-agentpay-wallet">Pay with AgentPay wallet</button>
<p id="agentpay-wallet-status" role="status"></p>${SCRIPT}</section>`,
};
