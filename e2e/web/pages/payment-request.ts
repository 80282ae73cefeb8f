/**
 * Checkouts with the W3C Payment Request API, as shops call it: basic-card
 * with supported networks; Google Pay next to cards; Google Pay alone (a
 * method a card wallet cannot answer: the browser's own answer must reach the
 * page); and AgentPay's own method https://agentpay.dev/pay listed by a shop
 * that integrated it. The page posts what the sheet returns to its server.
 */
import { minorToDecimal, type Money } from '@agentpay/protocol';
import type { PageInfo } from '../card-form.ts';
import { cart, esc, page, scriptJson } from '../html.ts';
import { readCard, type Shop } from '../shop.ts';

const CARDS = { supportedMethods: 'basic-card', data: { supportedNetworks: ['visa', 'mastercard', 'amex'] } };
const GPAY = {
  supportedMethods: 'https://google.com/pay',
  data: { environment: 'TEST', apiVersion: 2, apiVersionMinor: 0, allowedPaymentMethods: [{ type: 'CARD', parameters: { allowedAuthMethods: ['PAN_ONLY'], allowedCardNetworks: ['VISA', 'MASTERCARD'] },
    tokenizationSpecification: { type: 'PAYMENT_GATEWAY', parameters: { gateway: 'example', gatewayMerchantId: 'exampleGatewayMerchantId' } } }] },
};

interface Spec { id: string; path: string; item: string; amount: Money; shown: string; methods: (orderId: string) => unknown[]; shapedAfter: string }

export function mountPaymentRequest(shop: Shop): PageInfo[] {
  const agentpay = (amount: Money) => (orderId: string) => [
    { supportedMethods: 'https://agentpay.dev/pay', data: { merchantId: shop.account.merchant.id, reference: orderId, amount, category: 'physical_goods', description: `${shop.name} order ${orderId}` } },
    CARDS,
  ];
  const specs: Spec[] = [
    { id: 'pr-basic-card', path: '/express/card', item: 'Thermos flask', amount: { minor: 2700, currency: 'EUR' }, shown: '€27.00', methods: () => [CARDS], shapedAfter: 'a Payment Request "Buy now" button accepting basic-card (visa, mastercard, amex)' },
    { id: 'pr-card-and-gpay', path: '/express/gpay-or-card', item: 'Headlamp', amount: { minor: 3300, currency: 'EUR' }, shown: '€33.00', methods: () => [GPAY, CARDS], shapedAfter: 'Google Pay listed first, cards as the fallback' },
    { id: 'pr-wallet-only', path: '/express/gpay', item: 'Water filter', amount: { minor: 4100, currency: 'EUR' }, shown: '€41.00', methods: () => [GPAY], shapedAfter: 'a Google Pay-only express button via Payment Request' },
    { id: 'pr-agentpay', path: '/express/agentpay', item: 'Sleeping bag', amount: { minor: 15900, currency: 'EUR' }, shown: '€159.00', methods: (orderId) => agentpay({ minor: 15900, currency: 'EUR' })(orderId), shapedAfter: 'a shop that integrated AgentPay and lists https://agentpay.dev/pay (and cards)' },
  ];
  for (const spec of specs) {
    shop.site.app.get(spec.path, (c) => {
      const order = shop.open(spec.id, spec.amount);
      const details = { id: order.id, total: { label: 'Total', amount: { currency: spec.amount.currency, value: minorToDecimal(spec.amount.minor, spec.amount.currency) } } };
      return c.html(page({ lang: 'en', title: 'Express checkout', shop: shop.name, body: `<h1>Express checkout</h1>${cart([{ name: spec.item, price: spec.shown }], 'Total', spec.shown)}
<p><button id="buy-now" type="button">Buy now</button></p><div id="result" role="status"></div>
<script>
document.getElementById('buy-now').addEventListener('click', async () => {
  const result = document.getElementById('result');
  const say = (html) => { result.innerHTML = html; };
  let response;
  try {
    response = await new PaymentRequest(${scriptJson(spec.methods(order.id))}, ${scriptJson(details)}).show();
  } catch (error) {
    return say('<p class="error" role="alert">This payment method is not available: ' + error.name + '</p>');
  }
  const r = await fetch('${spec.path}/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: ${JSON.stringify(order.id)}, methodName: response.methodName, details: response.details }) }).then((r) => r.json());
  await response.complete(r.paid ? 'success' : 'fail');
  say(r.paid ? '<p class="ok">Thank you! Order ' + r.orderId + ' is paid.</p>' : '<p class="error" role="alert">' + r.message + '</p>');
});
</script>` }));
    });
    shop.site.app.post(`${spec.path}/pay`, async (c) => {
      const body = await c.req.json<{ order_id?: string; methodName?: string; details?: Record<string, unknown> }>();
      const order = shop.order(body.order_id);
      if (!order) return c.json({ paid: false, message: 'unknown order' }, 404);
      const details = body.details ?? {};
      // A shop takes only what it asked for: an answer in a method it did not list is refused.
      const listed = (spec.methods(order.id) as { supportedMethods: string }[]).map((method) => method.supportedMethods);
      if (!listed.includes(String(body.methodName))) {
        shop.ledger.refusals.push({ pageId: order.pageId, site: shop.site.label, reason: `the payment sheet answered with ${String(body.methodName)}, which the page did not ask for (it listed ${listed.join(', ')})` });
        return c.json({ paid: false, message: `this checkout did not ask for ${String(body.methodName)}` }, 400);
      }
      let result;
      if (body.methodName === 'https://agentpay.dev/pay') {
        const token = typeof details.token === 'string' ? details.token : (details.token as { secret?: string } | undefined)?.secret;
        result = await shop.account.charge({ pageId: order.pageId, orderId: order.id, amount: order.amount, token }, shop.site);
      } else if (body.methodName === 'basic-card') {
        const card = readCard({ number: details.cardNumber, month: details.expiryMonth, year: details.expiryYear, cvc: details.cardSecurityCode });
        shop.ledger.parsed(shop.site.label, `POST ${spec.path}/pay`, card?.number ?? '');
        if (!card) return c.json({ paid: false, message: 'the card details are incomplete' }, 400);
        result = await shop.account.charge({ pageId: order.pageId, orderId: order.id, amount: order.amount, card }, shop.site);
      } else {
        return c.json({ paid: false, message: `this shop cannot take ${esc(body.methodName)} payments` }, 400);
      }
      return result.paid ? c.json({ paid: true, orderId: order.id }) : c.json({ paid: false, message: `Declined (${result.code})` }, 402);
    });
  }
  return specs.map((spec) => ({
    id: spec.id, family: 'PaymentRequest', url: shop.site.origin + spec.path, site: shop.site.label, shapedAfter: spec.shapedAfter,
    cardTravels: 'no card field: the payment sheet answers; the page POSTs {methodName, details} JSON to the shop',
    merchant: { name: shop.name, origin: shop.site.origin },
    shows: `${minorToDecimal(spec.amount.minor, spec.amount.currency)} ${spec.amount.currency}`,
  }));
}
