import { Category, type LineItem, type Money } from '@agentpay/protocol';
import { readDecimalPrice, parseMoneyText } from './money-text.ts';

/** What a card checkout page says it is charging for; shown to the user, bound by the approval. */
export interface PageOrder {
  amount: Money;
  lineItems: LineItem[];
  category: Category;
  reference?: string;
  description: string;
}

/**
 * Reads the order a card form pays for: schema.org Order/Invoice JSON-LD when
 * the shop publishes it (exact, with items), else the "Total" the page shows.
 * Whatever the page claims, the token never allows more than the user approved.
 */
export function readPageOrder(doc: Document, scope: Element | null, _hints: { currencies?: string[] } = {}): PageOrder {
  return fromJsonLd(doc) ?? fromTotalText(doc, scope ?? doc.body);
}

function fromJsonLd(doc: Document): PageOrder | null {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    for (const node of Array.isArray(data) ? data : [data]) {
      const order = node as Record<string, any>;
      if (order?.['@type'] !== 'Order' && order?.['@type'] !== 'Invoice') continue;
      const due = order.totalPaymentDue ?? order.price;
      const currency = String(due?.priceCurrency ?? order.priceCurrency ?? '').toUpperCase();
      const value = String(due?.price ?? due?.value ?? '');
      const amount = { minor: readDecimalPrice(value, currency), currency };
      const offers: any[] = Array.isArray(order.acceptedOffer) ? order.acceptedOffer : [];
      const lineItems = offers.map((offer) => ({
        name: String(offer.itemOffered?.name ?? offer.name ?? 'item').slice(0, 200),
        quantity: Number(offer.eligibleQuantity?.value ?? 1),
        unitMinor: readDecimalPrice(String(offer.price), currency),
      }));
      const total = lineItems.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0);
      const category = Category.safeParse(offers[0]?.itemOffered?.category ?? order.category);
      return {
        amount,
        lineItems: total === amount.minor ? lineItems : [],
        category: category.success ? category.data : 'other',
        reference: order.orderNumber ? String(order.orderNumber).slice(0, 120) : undefined,
        description: String(order.name ?? order.description ?? doc.title).slice(0, 500),
      };
    }
  }
  return null;
}

const TOTAL = /\b(order )?total(?![a-z])|amount due|to pay|合计|总计|总额|应付|实付|支付金额/i;

function fromTotalText(doc: Document, form: Element): PageOrder {
  // Nearest to the form first: a page may show several totals (cart, shipping, order).
  const scopes = [form, ...ancestors(form), doc.body];
  for (const scope of scopes) {
    for (const element of scope.querySelectorAll('tr, tfoot, li, p, div, dt, dd, span, th, td, strong')) {
      const text = spacedText(element);
      if (text.length > 200 || !TOTAL.test(text)) continue;
      const amount = parseMoneyText(text.replace(TOTAL, ' '));
      if (amount) return { amount, lineItems: [], category: 'other', description: doc.title.slice(0, 500) };
    }
  }
  throw new Error('this checkout does not show an order total the wallet can read, so it cannot be paid safely');
}

/** An element's text with its cells and inline parts apart: textContent runs "Total" and "256.00" together. */
function spacedText(element: Element): string {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.nodeValue ?? '');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function ancestors(element: Element): Element[] {
  const list: Element[] = [];
  for (let node = element.parentElement; node && node !== element.ownerDocument.body; node = node.parentElement) list.push(node);
  return list;
}
