/**
 * Card fields laid out the ways shops lay them out: the number in four boxes
 * of four (older bank and travel sites), the expiry as two <select>s (month and
 * 2-digit year, or month names and 4-digit year, as Magento and many gateways
 * render it), and one MM/YYYY field. All classic form posts.
 */
import { type CardPageSpec, mountCardPage, type PageInfo } from '../card-form.ts';
import { years } from '../html.ts';
import type { Shop } from '../shop.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const base = {
  family: 'field layouts', lang: 'en', title: 'Secure payment', button: 'Pay now', totalLabel: 'Order total',
  cardTravels: 'form POST, urlencoded, to the shop',
} as const;

const cvcField = '<label for="cvv">CVV</label><input id="cvv" name="cvv" inputmode="numeric" maxlength="4" autocomplete="cc-csc">';
const numberField = '<label for="ccnum">Card number</label><input id="ccnum" name="ccnum" inputmode="numeric" autocomplete="cc-number">';

const monthSelect = (named: boolean) => `<select id="exp-month" name="exp_month" autocomplete="cc-exp-month" aria-label="Expiry month"><option value="">${named ? 'Month' : 'MM'}</option>${
  MONTHS.map((month, i) => `<option value="${String(i + 1).padStart(2, '0')}">${named ? `${String(i + 1).padStart(2, '0')} - ${month}` : String(i + 1).padStart(2, '0')}</option>`).join('')}</select>`;
const yearSelect = (digits: 2 | 4) => `<select id="exp-year" name="exp_year" autocomplete="cc-exp-year" aria-label="Expiry year"><option value="">${digits === 2 ? 'YY' : 'Year'}</option>${
  years(digits).map((year) => `<option value="${year}">${year}</option>`).join('')}</select>`;

const SPECS: Omit<CardPageSpec, keyof typeof base>[] = [
  {
    id: 'split-number-boxes', path: '/pay/split-boxes', items: [{ name: 'Weekend rail pass', price: '€64.00' }], total: '€64.00',
    amount: { minor: 6400, currency: 'EUR' }, shows: '64.00 EUR',
    fields: () => `<fieldset><legend>Card number</legend><div class="row">${[1, 2, 3, 4].map((n) =>
      `<input id="ccnum-${n}" name="ccnum${n}" inputmode="numeric" maxlength="4" size="4" aria-label="Card number, digits ${n * 4 - 3} to ${n * 4}" oninput="if(this.value.length===4&&this.nextElementSibling)this.nextElementSibling.focus()">`).join('')}</div></fieldset>
<label for="exp">Expiry (MM/YY)</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM/YY">${cvcField}`,
    read: (f) => ({ number: `${f.ccnum1}${f.ccnum2}${f.ccnum3}${f.ccnum4}`, expiry: f.exp, cvc: f.cvv }),
    shapedAfter: 'a travel booking site with the card number in four boxes that jump on',
  },
  {
    id: 'expiry-selects-2digit', path: '/pay/selects-yy', items: [{ name: 'Trail shoes', price: '€119.00' }], total: '€119.00',
    amount: { minor: 11900, currency: 'EUR' }, shows: '119.00 EUR',
    fields: () => `${numberField}<label>Expiration date</label><div class="row">${monthSelect(false)} / ${yearSelect(2)}</div>${cvcField}`,
    read: (f) => ({ number: f.ccnum, month: f.exp_month, year: f.exp_year, cvc: f.cvv }),
    shapedAfter: 'Magento 2 / Authorize.Net form: month and 2-digit year selects',
  },
  {
    id: 'expiry-selects-names', path: '/pay/selects-names', items: [{ name: 'Rain jacket', price: '€149.00' }], total: '€149.00',
    amount: { minor: 14900, currency: 'EUR' }, shows: '149.00 EUR',
    fields: () => `${numberField}<label>Expiration date</label><div class="row">${monthSelect(true)}${yearSelect(4)}</div>${cvcField}`,
    read: (f) => ({ number: f.ccnum, month: f.exp_month, year: f.exp_year, cvc: f.cvv }),
    shapedAfter: 'a gateway form with "01 - January" month names and a 4-digit year select',
  },
  {
    id: 'expiry-mm-yyyy', path: '/pay/mm-yyyy', items: [{ name: 'Camping stove', price: '€54.90' }], total: '€54.90',
    amount: { minor: 5490, currency: 'EUR' }, shows: '54.90 EUR',
    fields: () => `${numberField}<label for="expiry">Expiry date (MM/YYYY)</label><input id="expiry" name="expiry" placeholder="MM/YYYY" maxlength="7" pattern="\\d{2}/\\d{4}">${cvcField}`,
    read: (f) => ({ number: f.ccnum, expiry: f.expiry, cvc: f.cvv }),
    shapedAfter: 'a bank-hosted form asking for MM/YYYY in one field',
  },
];

export function mountLayouts(shop: Shop): PageInfo[] {
  return SPECS.map((spec) => mountCardPage(shop, { ...base, ...spec }));
}
