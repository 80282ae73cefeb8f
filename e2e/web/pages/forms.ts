/**
 * Classic card forms posted by the browser: one with autocomplete cc-* as
 * WooCommerce and most carts render it, and the same without autocomplete,
 * labelled in Chinese, Japanese, German, French and Spanish as local shops and
 * older payment plugins do; and a multi-step checkout that keeps the card in
 * page state until "Place order".
 */
import { cardInputs, type CardPageSpec, mountCardPage, type PageInfo } from '../card-form.ts';
import type { Shop } from '../shop.ts';

const EUR = (minor: number) => ({ minor, currency: 'EUR' });

type Localised = Pick<CardPageSpec, 'id' | 'lang' | 'title' | 'items' | 'totalLabel' | 'total' | 'amount' | 'shows' | 'button' | 'shapedAfter'> & {
  labels: { name: string; number: string; expiry: string; cvc: string };
};

/** Forms without autocomplete: only their labels and local field names say what they hold. */
const LOCALISED: Localised[] = [
  {
    id: 'labels-zh', lang: 'zh-CN', title: '确认订单', items: [{ name: '羊毛围巾', price: '¥268.00' }], totalLabel: '应付总额', total: '¥268.00',
    amount: { minor: 26800, currency: 'CNY' }, shows: '268.00 CNY', button: '立即付款',
    labels: { name: '持卡人', number: '银行卡号', expiry: '有效期', cvc: '安全码' }, shapedAfter: 'a Chinese storefront plugin (国际信用卡) form, no autocomplete',
  },
  {
    id: 'labels-ja', lang: 'ja', title: 'ご注文手続き', items: [{ name: 'リネンシャツ', price: '¥12,800' }], totalLabel: 'お支払い金額', total: '¥12,800',
    amount: { minor: 12800, currency: 'JPY' }, shows: '12800 JPY', button: '注文を確定する',
    labels: { name: 'カード名義', number: 'カード番号', expiry: '有効期限', cvc: 'セキュリティコード' }, shapedAfter: 'a Japanese EC-CUBE style checkout, no autocomplete',
  },
  {
    id: 'labels-de', lang: 'de', title: 'Kasse', items: [{ name: 'Wollpullover', price: '89,90 €' }], totalLabel: 'Gesamtsumme', total: '89,90 €',
    amount: EUR(8990), shows: '89.90 EUR', button: 'Jetzt kaufen',
    labels: { name: 'Karteninhaber', number: 'Kartennummer', expiry: 'Gültig bis (MM/JJ)', cvc: 'Prüfnummer' }, shapedAfter: 'a Shopware/JTL style German checkout, no autocomplete',
  },
  {
    id: 'labels-fr', lang: 'fr', title: 'Paiement', items: [{ name: 'Bonnet en laine', price: '59,00 €' }], totalLabel: 'Total TTC', total: '59,00 €',
    amount: EUR(5900), shows: '59.00 EUR', button: 'Payer ma commande',
    labels: { name: 'Titulaire de la carte', number: 'Numéro de carte', expiry: "Date d'expiration (MM/AA)", cvc: 'Cryptogramme visuel' }, shapedAfter: 'a PrestaShop style French checkout, no autocomplete',
  },
  {
    id: 'labels-es', lang: 'es', title: 'Finalizar compra', items: [{ name: 'Guantes de piel', price: '35,00 €' }], totalLabel: 'Total', total: '35,00 €',
    amount: EUR(3500), shows: '35.00 EUR', button: 'Pagar ahora',
    labels: { name: 'Titular de la tarjeta', number: 'Número de tarjeta', expiry: 'Fecha de caducidad (MM/AA)', cvc: 'CVV' }, shapedAfter: 'a Spanish Redsys-era merchant form, no autocomplete',
  },
];

export function mountForms(shop: Shop): PageInfo[] {
  const pages = [mountCardPage(shop, {
    id: 'classic-autocomplete', family: 'classic forms', path: '/checkout/classic', lang: 'en',
    title: 'Checkout', items: [{ name: 'Merino beanie', price: '€42.50' }], totalLabel: 'Total', total: '€42.50',
    amount: EUR(4250), shows: '42.50 EUR', button: 'Place order',
    fields: () => cardInputs({ name: 'Name on card', number: 'Card number', expiry: 'Expiry date (MM/YY)', cvc: 'Security code' },
      { name: 'billing_card_name', number: 'billing_card_number', expiry: 'billing_card_expiry', cvc: 'billing_card_cvc' }, true),
    read: (f) => ({ number: f.billing_card_number, expiry: f.billing_card_expiry, cvc: f.billing_card_cvc }),
    shapedAfter: 'WooCommerce classic checkout (gateway card fields with autocomplete cc-*)',
    cardTravels: 'form POST, application/x-www-form-urlencoded, to the shop',
  })];
  for (const spec of LOCALISED) {
    pages.push(mountCardPage(shop, {
      ...spec, family: 'classic forms', path: `/checkout/${spec.id}`,
      fields: () => cardInputs(spec.labels, { name: 'inhaber', number: 'feld1', expiry: 'feld2', cvc: 'feld3' }, false),
      read: (f) => ({ number: f.feld1, expiry: f.feld2, cvc: f.feld3 }),
      cardTravels: 'form POST, urlencoded, field names (inhaber, feld1..3) that say nothing',
    }));
  }
  return pages;
}
