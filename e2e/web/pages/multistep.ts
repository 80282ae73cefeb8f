/**
 * A multi-step checkout as Magento's one-page checkout and Shopify's classic
 * checkout run it: shipping → payment → review. The card typed at "payment"
 * is kept in page state (the payment step is torn down), the review shows
 * "•••• 4242", and "Place order" submits a form the script fills from state.
 */
import { cardInputs, mountCardPage, type PageInfo } from '../card-form.ts';
import type { Shop } from '../shop.ts';

const SCRIPT = `
const state = { step: 'shipping', shipping: null, card: null };
const steps = { shipping: document.getElementById('step-shipping'), payment: document.getElementById('step-payment'), review: document.getElementById('step-review') };
const paymentMarkup = steps.payment.innerHTML;
function show(step) {
  state.step = step;
  for (const [name, el] of Object.entries(steps)) el.hidden = name !== step;
  // Like a component that unmounts: the payment fields exist only while their step shows.
  steps.payment.innerHTML = step === 'payment' ? paymentMarkup : '';
  if (step === 'payment') steps.payment.querySelector('#to-review').onclick = toReview;
}
document.getElementById('to-payment').onclick = () => {
  state.shipping = { name: document.getElementById('ship-name').value, address: document.getElementById('ship-address').value };
  show('payment');
};
function toReview() {
  const value = (id) => document.getElementById(id).value;
  state.card = { number: value('card-number'), expiry: value('card-expiry'), cvc: value('card-cvc') };
  document.getElementById('review-card').textContent = 'Card ending ' + state.card.number.replace(/\\D/g, '').slice(-4);
  document.getElementById('review-ship').textContent = state.shipping.name + ', ' + state.shipping.address;
  show('review');
}
document.getElementById('checkout').addEventListener('submit', () => {
  const form = document.getElementById('checkout');
  for (const [name, value] of Object.entries({ payment_number: state.card.number, payment_expiry: state.card.expiry, payment_cvc: state.card.cvc })) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = name; input.value = value;
    form.appendChild(input);
  }
});
show('shipping');`;

export function mountMultistep(shop: Shop): PageInfo[] {
  return [mountCardPage(shop, {
    id: 'multistep-review', family: 'classic forms', path: '/checkout/steps', lang: 'en', title: 'Checkout',
    items: [{ name: 'Down vest', price: '€129.00' }, { name: 'Shipping', price: '€6.50' }], totalLabel: 'Total', total: '€135.50',
    amount: { minor: 13550, currency: 'EUR' }, shows: '135.50 EUR', button: 'Place order',
    fields: () => '',
    wrap: ({ cart, form }) => `<h1>Checkout</h1><ol class="muted"><li>Shipping</li><li>Payment</li><li>Review</li></ol>${cart}
<section id="step-shipping"><h2>Shipping address</h2><label for="ship-name">Full name</label><input id="ship-name" autocomplete="name">
<label for="ship-address">Address</label><input id="ship-address" autocomplete="street-address"><p><button type="button" id="to-payment">Continue to payment</button></p></section>
<section id="step-payment" hidden><h2>Payment</h2>${cardInputs({ number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' }, { number: 'n', expiry: 'e', cvc: 'c' }, true)}
<p><button type="button" id="to-review">Review order</button></p></section>
<section id="step-review" hidden><h2>Review</h2><p id="review-ship"></p><p id="review-card"></p>${form}</section>`,
    read: (f) => ({ number: f.payment_number, expiry: f.payment_expiry, cvc: f.payment_cvc }),
    script: () => SCRIPT,
    formPosts: true,
    shapedAfter: "Magento one-page checkout / Shopify's classic three-step checkout",
    cardTravels: 'card kept in a JS object after the payment step unmounts; "Place order" submits a form POST with hidden fields the script adds',
  })];
}
