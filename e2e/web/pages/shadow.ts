/**
 * Checkouts inside web components with open shadow roots, as design systems
 * (Lit, Stencil, Salesforce Commerce's LWC) ship them: one posts its form
 * natively (the submit event is not composed, so it never reaches the
 * document), the other fetches JSON from inside the shadow root.
 */
import { cardInputs, mountCardPage, type PageInfo } from '../card-form.ts';
import type { Shop } from '../shop.ts';

const fields = cardInputs({ name: 'Name on card', number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' }, { name: 'name', number: 'number', expiry: 'expiry', cvc: 'cvc' }, true);

const element = (tag: string, connected: string) => `customElements.define('${tag}', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>label{display:block;margin:.3rem 0}button{padding:.4rem 1rem}</style>';
    root.append(document.getElementById('${tag}-template').content.cloneNode(true));
    ${connected}
  }
});`;

export function mountShadow(shop: Shop): PageInfo[] {
  return [
    mountCardPage(shop, {
      id: 'shadow-form-post', family: 'shadow DOM', path: '/wc/form', lang: 'en', title: 'Checkout', items: [{ name: 'Wool blanket', price: '€98.00' }],
      totalLabel: 'Total', total: '€98.00', amount: { minor: 9800, currency: 'EUR' }, shows: '98.00 EUR', button: 'Complete purchase',
      fields: () => fields, formPosts: true,
      wrap: ({ cart, form }) => `<h1>Checkout</h1>${cart}<template id="acme-checkout-template">${form}</template><acme-checkout></acme-checkout>`,
      script: () => element('acme-checkout', ''),
      read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
      shapedAfter: 'a Lit/Stencil <acme-checkout> component with its form in an open shadow root',
      cardTravels: 'native form POST from inside the shadow root (submit event not composed)',
    }),
    mountCardPage(shop, {
      id: 'shadow-fetch', family: 'shadow DOM', path: '/wc/fetch', lang: 'en', title: 'Checkout', items: [{ name: 'Cast iron pan', price: '€64.50' }],
      totalLabel: 'Total', total: '€64.50', amount: { minor: 6450, currency: 'EUR' }, shows: '64.50 EUR', button: 'Pay now', json: true,
      fields: () => fields,
      wrap: ({ cart, form }) => `<h1>Checkout</h1>${cart}<template id="pay-panel-template">${form}<p class="status"></p></template><pay-panel></pay-panel>`,
      script: (order) => element('pay-panel', `root.querySelector('form').addEventListener('submit', (e) => {
      e.preventDefault();
      const d = Object.fromEntries(new FormData(e.target));
      fetch('/wc/fetch/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: '${order.id}', card: { number: d.number, expiry: d.expiry, cvc: d.cvc } }) })
        .then((r) => r.json()).then((r) => { document.getElementById('result').innerHTML = r.paid ? '<p class="ok">Thank you! Order ' + r.orderId + ' is paid.</p>' : '<p class="error" role="alert">' + r.message + '</p>'; });
    });`),
      read: (f) => ({ number: (f.card as Record<string, unknown>)?.number, expiry: (f.card as Record<string, unknown>)?.expiry, cvc: (f.card as Record<string, unknown>)?.cvc }),
      shapedAfter: 'a <pay-panel> component that fetches from inside its shadow root',
      cardTravels: 'fetch POST application/json from a listener inside the shadow root',
    }),
  ];
}
