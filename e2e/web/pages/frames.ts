/**
 * Card fields that live on a payment provider's origin: one cross-site iframe
 * per field (Stripe Elements with fetch, Braintree Hosted Fields with XHR and a
 * nonce the shop's form posts, Shopify's card vault returning a session id),
 * a whole hosted payment page in an iframe, and one reached by redirect.
 * The shop never sees a card; its server asks the provider to charge an id.
 */
import type { Context } from 'hono';
import type { PageInfo } from '../card-form.ts';
import type { HostedCheckout } from '../hosted-checkout.ts';
import { cart, esc, page, resultPage } from '../html.ts';
import type { Provider } from '../provider.ts';
import type { Shop } from '../shop.ts';
import type { Site } from '../site.ts';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const fieldBoxes = `<label for="card-number-element">Card number</label><div id="card-number-element"></div>
<div class="row"><div style="flex:1"><label for="card-expiry-element">Expiration (MM / YY)</label><div id="card-expiry-element"></div></div>
<div style="flex:1"><label for="card-cvc-element">CVC</label><div id="card-cvc-element"></div></div></div>`;
const containers = "{ number: '#card-number-element', expiry: '#card-expiry-element', cvc: '#card-cvc-element' }";

export function mountFrames(shop: Shop, provider: Provider, vault: Provider, hosted: HostedCheckout, checkoutDomain: Site): PageInfo[] {
  const keys = provider.enrol(shop);
  const vaultKeys = vault.enrol(shop);
  const info = (id: string, path: string, shows: string, shapedAfter: string, cardTravels: string): PageInfo => ({
    id, family: 'provider frames', url: shop.site.origin + path, site: shop.site.label, shapedAfter, cardTravels,
    merchant: { name: shop.name, origin: shop.site.origin }, shows,
  });
  const shell = (title: string, body: string, head = '') => page({ lang: 'en-US', title, shop: shop.name, body, head });

  /** The shop's server side: charge the id the page sends, through the provider's API with the secret key. */
  const chargeThrough = (target: Provider, secret: string) => async (c: Context, orderId: unknown, method: unknown, json: boolean) => {
    const order = shop.order(orderId);
    if (!order || typeof method !== 'string') return c.json({ paid: false, message: 'unknown order or no payment method' }, 400);
    const response = await fetch(`${target.site.origin}/v1/charges`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payment_method: method, amount: order.amount, reference: order.id, page: order.pageId }),
    });
    const result = (await response.json()) as { paid: boolean; message: string };
    const answer = result.paid ? { paid: true as const, orderId: order.id } : { paid: false as const, message: `Payment failed: ${result.message}` };
    return json ? c.json(answer, result.paid ? 200 : 402) : c.html(resultPage(shop.name, 'en-US', answer), result.paid ? 200 : 402);
  };
  const viaProvider = chargeThrough(provider, keys.secret);
  const viaVault = chargeThrough(vault, vaultKeys.secret);

  const app = shop.site.app;
  app.get('/checkout/elements', (c) => {
    const order = shop.open('hosted-fields-fetch', USD(5800));
    return c.html(shell('Checkout', `<h1>Checkout</h1>${cart([{ name: 'Canvas tote', price: '$58.00' }], 'Total', '$58.00')}
<form id="payment-form">${fieldBoxes}<p><button id="submit">Pay $58.00</button></p></form><div id="result" role="status"></div>
<script>const paystream = Paystream(${JSON.stringify(keys.publishable)}); paystream.mount(${containers});
document.getElementById('payment-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const result = document.getElementById('result');
  try {
    const paymentMethod = await paystream.tokenize();
    const r = await fetch('/checkout/elements/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: ${JSON.stringify(order.id)}, payment_method: paymentMethod }) }).then((r) => r.json());
    result.innerHTML = r.paid ? '<p class="ok">Thank you! Order ' + r.orderId + ' is paid.</p>' : '<p class="error" role="alert">' + r.message + '</p>';
  } catch (error) { result.innerHTML = '<p class="error" role="alert">' + error.message + '</p>'; }
});</script>`, `<script src="${provider.site.origin}/js/paystream.js"></script>`));
  });
  app.post('/checkout/elements/pay', async (c) => {
    const body = await c.req.json<{ order_id?: string; payment_method?: string }>();
    return viaProvider(c, body.order_id, body.payment_method, true);
  });

  app.get('/checkout/hosted-fields', (c) => {
    const order = shop.open('hosted-fields-xhr', USD(12400));
    return c.html(shell('Checkout', `<h1>Checkout</h1>${cart([{ name: 'Field watch', price: '$124.00' }], 'Total', '$124.00')}
<form id="checkout" method="post" action="/checkout/hosted-fields/pay"><input type="hidden" name="order_id" value="${esc(order.id)}">
<input type="hidden" name="payment_method_nonce" id="nonce">${fieldBoxes}<p><button type="submit">Buy now</button></p></form>
<script>const fields = HostedFields(${JSON.stringify(keys.publishable)}); fields.mount(${containers});
const form = document.getElementById('checkout');
form.addEventListener('submit', (e) => {
  if (document.getElementById('nonce').value) return;
  e.preventDefault();
  fields.tokenize().then((nonce) => { document.getElementById('nonce').value = nonce; form.submit(); }, (error) => alert(error.message));
});</script>`, `<script src="${provider.site.origin}/js/hosted-fields.js"></script>`));
  });
  app.post('/checkout/hosted-fields/pay', async (c) => {
    const form = await c.req.parseBody();
    return viaProvider(c, form.order_id, form.payment_method_nonce, false);
  });

  app.get('/checkout/vault', (c) => {
    const order = shop.open('card-vault', USD(3600));
    return c.html(shell('Payment', `<h1>Payment</h1><p class="muted">All transactions are secure and encrypted.</p>${cart([{ name: 'Enamel pin set', price: '$36.00' }], 'Total', '$36.00')}
<form id="checkout" method="post" action="/checkout/vault/pay"><input type="hidden" name="order_id" value="${esc(order.id)}"><input type="hidden" name="s" id="session">
${fieldBoxes}<p><button type="submit" id="continue_button">Pay now</button></p></form>
<script>const vault = CardVault(${JSON.stringify(vaultKeys.publishable)}); vault.mount(${containers});
document.getElementById('checkout').addEventListener('submit', function (e) {
  if (document.getElementById('session').value) return;
  e.preventDefault();
  vault.tokenize().then((session) => { document.getElementById('session').value = session; this.submit(); });
});</script>`, `<script src="${vault.site.origin}/js/vault.js"></script>`));
  });
  app.post('/checkout/vault/pay', async (c) => {
    const form = await c.req.parseBody();
    return viaVault(c, form.order_id, form.s, false);
  });

  app.get('/checkout/embedded', (c) => {
    const order = shop.open('hosted-page-iframe', USD(8900));
    const session = hosted.open(shop, { amount: order.amount, shown: '$89.00', reference: order.id, page: order.pageId, mode: 'embedded', returnUrl: `${shop.site.origin}/checkout/embedded` });
    return c.html(shell('Checkout', `<h1>Checkout</h1>${cart([{ name: 'Wool throw', price: '$89.00' }], 'Total', '$89.00')}
<iframe id="payment-frame" title="Secure payment" src="${esc(session.url)}" style="height:26rem" allow="payment"></iframe><div id="result" role="status"></div>
<script>addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(provider.site.origin)} && e.data && e.data.type === 'paystream:checkout-complete') document.getElementById('result').innerHTML = '<p class="ok">Thank you! Order ${esc(order.id)} is paid.</p>'; });</script>`));
  });

  app.get('/checkout/redirect', (c) => {
    return c.html(shell('Checkout', `<h1>Review your order</h1>${cart([{ name: 'Leather weekender', price: '$210.00' }], 'Total', '$210.00')}
<form method="post" action="/checkout/redirect"><button type="submit">Continue to payment</button></form>`));
  });
  app.post('/checkout/redirect', (c) => {
    const order = shop.open('hosted-page-redirect', USD(21000));
    const session = hosted.open(shop, { amount: order.amount, shown: '$210.00', reference: order.id, page: order.pageId, mode: 'redirect', returnUrl: `${shop.site.origin}/checkout/redirect/done` });
    return c.redirect(session.url, 303);
  });
  app.get('/checkout/redirect/done', (c) => c.html(resultPage(shop.name, 'en-US', { paid: true, orderId: c.req.query('session') ?? '' })));

  return [
    info('hosted-fields-fetch', '/checkout/elements', '58.00 USD', 'Stripe Elements: paystream.js mounts number/expiry/CVC frames; tokenize() by postMessage',
      'number frame gathers its sibling frames and fetch-POSTs JSON to the provider; the page sends pm_… to the shop; the shop charges via the provider API'),
    info('hosted-fields-xhr', '/checkout/hosted-fields', '124.00 USD', 'Braintree Hosted Fields: a nonce put in a hidden input and the form submitted',
      'number frame XHR-POSTs the card to the provider; the shop form POSTs payment_method_nonce; the shop charges via the provider API'),
    info('card-vault', '/checkout/vault', '36.00 USD', "Shopify's card vault (checkout.pci…/deposit…): field frames post to a vault origin, session id `s` in the form",
      'number frame fetch-POSTs to the vault /sessions; the form POSTs s=east-…; the shop charges via the vault'),
    info('hosted-page-iframe', '/checkout/embedded', '89.00 USD', 'Worldpay/Adyen hosted payment page embedded in an iframe',
      "the provider's own form POSTs the card to the provider inside the iframe; the provider charges; the frame tells the page by postMessage"),
    { ...info('hosted-page-redirect', '/checkout/redirect', '210.00 USD', "Stripe Checkout on the shop's custom checkout domain, reached by a 303 redirect",
      'the provider page (top level, its own origin proven for the shop) POSTs the card to the provider, which charges and redirects back'), merchant: { name: shop.name, origin: checkoutDomain.origin } },
  ];
}
