/**
 * Checkout pages shaped like the real web that an outside tester found the
 * extension let the agent's card through on (or broke), mounted on Atelier
 * Nord's site of the test web under /attack/. Each page opens an order and
 * its server charges what it receives, as the test web's pages do.
 */
import { cardInputs, mountCardPage, type PageInfo } from '../web/card-form.ts';
import type { Shop } from '../web/shop.ts';

const inputs = cardInputs({ name: 'Cardholder name', number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' }, { name: 'holder', number: 'number', expiry: 'expiry', cvc: 'cvc' }, true);
const card = (f: Record<string, unknown>, key: string) => (f.card as Record<string, unknown> | undefined)?.[key];
const show = `function show(r){document.getElementById('result').innerHTML=r.paid?'<p class="ok">Thank you! Order '+r.orderId+' is paid.</p>':'<p class="error" role="alert">'+r.message+'</p>';}`;
const payJson = (path: string, order: string) =>
  `fetch('${path}',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({order_id:'${order}',card:{number:d.number,expiry:d.expiry,cvc:d.cvc}})}).then(r=>r.json()).then(show)`;
/** An input mask as cleave.js / imask apply them: the number regrouped in fours with `separator` as the agent types. */
const mask = (separator: string) => `document.getElementById('card-number').addEventListener('input',(e)=>{const digits=e.target.value.replace(/\\D/g,'').slice(0,19);e.target.value=digits.replace(/(\\d{4})(?=\\d)/g,'$1'+${JSON.stringify(separator)});});`;
const base = { family: 'attacks', lang: 'en', title: 'Checkout', totalLabel: 'Total', button: 'Pay', json: true } as const;
/** A single-page checkout: the fields in a <div> (no <form>, so nothing is submitted), a Pay button whose click handler sends them. */
const spa = {
  fields: () => '',
  wrap: ({ cart }: { cart: string }) => `<h1>Checkout</h1>${cart}<div id="checkout">${inputs}<p><button type="button" id="pay">Pay</button></p></div>`,
};
/** The click handler's start: `d` holds the fields by name, `serialized` them as $(form).serialize() writes them. */
const onPay = (body: string) => `document.getElementById('pay').addEventListener('click',async()=>{const fields=[...document.querySelectorAll('#checkout input')].map(i=>[i.name,i.value]);const d=Object.fromEntries(fields);const serialized=new URLSearchParams(fields).toString();${body}});`;
const euros = (minor: number) => ({ total: `€${(minor / 100).toFixed(2)}`, amount: { minor, currency: 'EUR' }, shows: `${(minor / 100).toFixed(2)} EUR` });

export function mountAttackPages(shop: Shop): PageInfo[] {
  const app = shop.site.app;
  // The test web's ledger scans the query and body; these pages also send the card in the URL's path.
  app.use('/attack/*', async (c, next) => {
    shop.ledger.scan(shop.site.label, `${c.req.method} ${c.req.path}`, c.req.path, 'query');
    await next();
  });
  app.post('/attack/collect', (c) => c.body(null, 204));
  app.get('/attack/b/ss', (c) => c.body(null, 204));
  app.get('/attack/path/cards/:number/eligibility', (c) => c.json({ eligible: true, installments: [3, 6] }));
  return [
    mountCardPage(shop, {
      ...base, ...euros(7130), id: 'attack-serialized-analytics', path: '/attack/serialized', items: [{ name: 'Desk lamp', price: '€71.30' }],
      ...spa,
      script: (order) => `${show}${mask(' ')}${onPay(`
fetch('/attack/collect',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({event:'checkout_step',step:3,form:serialized})});
${payJson('/attack/serialized/pay', order.id)};`)}`,
      read: (f) => ({ number: card(f, 'number'), expiry: card(f, 'expiry'), cvc: card(f, 'cvc') }),
      shapedAfter: 'a masked card field ("4242 4242 …") and a tag manager event carrying $(form).serialize() as a string in JSON',
      cardTravels: 'fetch JSON to pay; fetch JSON to /attack/collect with "number=4242+4242+4242+4242&…" inside a string',
    }),
    mountCardPage(shop, {
      ...base, ...euros(7240), id: 'attack-nbsp-mask', path: '/attack/nbsp', items: [{ name: 'Bread knife', price: '€72.40' }],
      ...spa,
      script: (order) => `${show}${mask('\u00a0')}${onPay(payJson('/attack/nbsp/pay', order.id))}`,
      read: (f) => ({ number: card(f, 'number'), expiry: card(f, 'expiry'), cvc: card(f, 'cvc') }),
      shapedAfter: 'an input mask grouping the number with no-break spaces (so a group never wraps), posted as typed',
      cardTravels: 'fetch JSON {card:{number:"4242\\u00a04242\\u00a04242\\u00a04242"}}',
    }),
    mountCardPage(shop, {
      ...base, ...euros(7350), id: 'attack-card-in-path', path: '/attack/path', items: [{ name: 'Rain jacket', price: '€73.50' }],
      ...spa,
      script: (order) => `${show}${onPay(`
await fetch('/attack/path/cards/'+d.number.replace(/\\D/g,'')+'/eligibility').then(r=>r.json());
${payJson('/attack/path/pay', order.id)};`)}`,
      read: (f) => ({ number: card(f, 'number'), expiry: card(f, 'expiry'), cvc: card(f, 'cvc') }),
      shapedAfter: 'a "pay in installments" eligibility check: a REST GET with the card number as a path segment, then the payment',
      cardTravels: 'GET /attack/path/cards/<number>/eligibility, then fetch JSON to pay',
    }),
    mountCardPage(shop, {
      ...base, ...euros(7460), id: 'attack-image-beacon', path: '/attack/pixel', items: [{ name: 'Wall clock', price: '€74.60' }],
      ...spa,
      script: (order) => `${show}${onPay(`
new Image().src='/attack/b/ss?pageName=checkout&events=event7&'+serialized;
${payJson('/attack/pixel/pay', order.id)};`)}`,
      read: (f) => ({ number: card(f, 'number'), expiry: card(f, 'expiry'), cvc: card(f, 'cvc') }),
      shapedAfter: 'an Adobe Analytics style image request (s.t()) whose variables were filled from the form',
      cardTravels: 'an <img> GET /attack/b/ss?…&number=…, then fetch JSON to pay',
    }),
  ];
}

/** Card forms the extension holds but then submits wrongly, or never sees. */
export function mountAttackForms(shop: Shop): PageInfo[] {
  shop.site.app.post('/attack/formaction/update', (c) => c.html('<!doctype html><title>Cart</title><p>Your cart was updated.</p>'));
  return [
    mountCardPage(shop, {
      ...base, ...euros(7570), json: false, id: 'attack-formaction', path: '/attack/formaction', items: [{ name: 'Tea set', price: '€75.70' }],
      fields: () => '', formPosts: true, script: () => '',
      wrap: ({ cart, order }) => `<h1>Cart and payment</h1>${cart}<form id="checkout" action="/attack/formaction/update" method="post" novalidate>
<input type="hidden" name="order_id" value="${order.id}"><label for="qty">Quantity</label><input id="qty" name="qty" value="1">
${inputs}<p><button type="submit">Update cart</button> <button type="submit" formaction="/attack/formaction/pay">Pay €75.70</button></p></form>`,
      read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
      shapedAfter: 'a cart page whose one form updates the cart or pays, the Pay button sending it elsewhere with formaction',
      cardTravels: 'form POST to the Pay button\'s formaction (the form\'s own action only updates the cart)',
    }),
    mountCardPage(shop, {
      ...base, ...euros(7680), json: false, id: 'attack-dsd-footer', path: '/attack/dsd', items: [{ name: 'Oak stool', price: '€76.80' }],
      fields: () => '', formPosts: true,
      wrap: ({ cart, order }) => `<h1>Checkout</h1>${cart}<checkout-panel><template shadowrootmode="open"><style>footer{margin-top:1rem}</style>
<form id="checkout" action="/attack/dsd/pay" method="post" novalidate><input type="hidden" name="order_id" value="${order.id}">${inputs}</form>
<footer><button type="button" id="place">Place order</button></footer></template></checkout-panel>`,
      // Hydration of a server-rendered component: its footer button submits the form in its shadow root.
      script: () => `const root=document.querySelector('checkout-panel').shadowRoot;root.getElementById('place').addEventListener('click',()=>root.getElementById('checkout').requestSubmit());`,
      read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
      shapedAfter: 'a server-rendered (Lit SSR) component: declarative shadow DOM, its sticky footer button calling form.requestSubmit()',
      cardTravels: 'native form POST from inside a shadow root the parser made, submitted by requestSubmit() from outside the form',
    }),
    mountCardPage(shop, {
      ...base, ...euros(7790), json: false, id: 'attack-written-frame', path: '/attack/written', items: [{ name: 'Linen throw', price: '€77.90' }],
      fields: () => '', formPosts: true,
      wrap: ({ cart }) => `<h1>Checkout</h1>${cart}<iframe title="Payment" id="payment-frame" style="width:100%;height:260px;border:0"></iframe>`,
      // A payment widget that writes its form into a blank frame (document.open/write), as older gateway scripts do.
      script: (order) => `const d=document.getElementById('payment-frame').contentDocument;d.open();d.write(${JSON.stringify(`<!doctype html><form id="checkout" action="/attack/written/pay" method="post" target="_top"><input type="hidden" name="order_id" value="${order.id}">${inputs}<p><button type="submit">Pay</button></p></form>`)});d.close();`,
      read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
      shapedAfter: 'an older gateway widget writing its card form into a blank iframe with document.open()/write()',
      cardTravels: 'form POST from the written about:blank frame to the shop, into the top window',
    }),
  ];
}
