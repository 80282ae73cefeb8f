import { randomUUID } from 'node:crypto';
import type { Money } from '@agentpay/protocol';
import type { Context } from 'hono';
import type { Ledger } from './ledger.ts';
import type { CardDetails, MerchantAccount } from './merchant.ts';
import { resultPage } from './html.ts';
import type { Site } from './site.ts';

/** An order a page opened: what the shop's server will charge, whatever the page shows. */
export interface Order {
  id: string;
  pageId: string;
  amount: Money;
}

/** A merchant's web shop: its site, its relay account, its orders. */
export interface Shop {
  name: string;
  site: Site;
  account: MerchantAccount;
  ledger: Ledger;
  /** Opens an order for a page load; each load is a new order, as a cart checkout is. */
  open(pageId: string, amount: Money): Order;
  order(id: unknown): Order | undefined;
  /** Charges card details for an order and answers with the shop's result page (or JSON with `json`). */
  payByCard(c: Context, orderId: unknown, fields: CardFields, options?: { json?: boolean; lang?: string }): Promise<Response>;
}

/** Card fields as a form or script sent them, before the shop reads them. */
export interface CardFields {
  number: unknown;
  /** A month 1–12, or undefined when `expiry` holds "MM/YY" or "MM/YYYY". */
  month?: unknown;
  year?: unknown;
  expiry?: unknown;
  cvc: unknown;
}

export function createShop(name: string, site: Site, account: MerchantAccount, ledger: Ledger): Shop {
  const orders = new Map<string, Order>();
  const shop: Shop = {
    name, site, account, ledger,
    open(pageId, amount) {
      const order = { id: `ord_${randomUUID().slice(0, 12)}`, pageId, amount };
      orders.set(order.id, order);
      return order;
    },
    order: (id) => (typeof id === 'string' ? orders.get(id) : undefined),
    async payByCard(c, orderId, fields, options = {}) {
      const answer = (status: 200 | 400 | 402 | 404, result: { paid: true; orderId: string } | { paid: false; message: string }) =>
        options.json ? c.json(result, status) : c.html(resultPage(name, options.lang ?? 'en', result), status);
      const order = shop.order(orderId);
      if (!order) return answer(404, { paid: false, message: `no order ${String(orderId)} at ${name}` });
      const card = readCard(fields);
      ledger.parsed(site.label, `${c.req.method} ${c.req.path}`, card?.number ?? '');
      if (!card) {
        const digits = String(fields.number ?? '').replace(/\D/g, '');
        ledger.refusals.push({ pageId: order.pageId, site: site.label, reason: `the shop could not read the card it got (a ${digits.length}-digit number, expiry ${JSON.stringify(fields.expiry ?? `${fields.month}/${fields.year}`)}, a ${String(fields.cvc ?? '').length}-digit CVC)` });
        return answer(400, { paid: false, message: 'Please check your card number, expiry date and security code.' });
      }
      const result = await account.charge({ pageId: order.pageId, orderId: order.id, amount: order.amount, card }, site);
      return result.paid ? answer(200, { paid: true, orderId: order.id }) : answer(402, { paid: false, message: `Your card was declined (${result.code}).` });
    },
  };
  return shop;
}

/** Reads card fields leniently, as shops do: spaces and dashes in the number, 2- or 4-digit years. */
export function readCard(fields: CardFields): CardDetails | null {
  const number = String(fields.number ?? '').replace(/[\s-]/g, '');
  let month = fields.month;
  let year = fields.year;
  if (fields.expiry !== undefined) [month, year] = String(fields.expiry).split('/').map((part) => part.trim());
  const expMonth = Number(month);
  const yearText = String(year ?? '').trim();
  const expYear = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const cvc = String(fields.cvc ?? '').trim();
  if (!/^\d{12,19}$/.test(number) || !(expMonth >= 1 && expMonth <= 12) || !(expYear >= 2000) || !/^\d{3,4}$/.test(cvc)) return null;
  return { number, expMonth, expYear, cvc };
}
