/**
 * What a page's schema.org JSON-LD says: the Order or Invoice being paid for
 * (exact, with its items) and the currencies its Products and Offers are
 * priced in. Pages write JSON-LD in many shapes (one object, an array, an
 * @graph, @type as an array); zod takes the parts this reader uses.
 */
import { Category, type LineItem, type Money } from '@agentpay/protocol';
import * as z from 'zod';
import { readDecimalPrice } from './money-text.ts';

const Text = z.union([z.string(), z.number()]).transform(String);
const PriceSpecification = z.object({ price: Text.optional(), value: Text.optional(), priceCurrency: z.string().optional() }).loose();
const Offer = z
  .object({
    price: Text.optional(),
    name: z.string().optional(),
    itemOffered: z.object({ name: z.string().optional(), category: z.unknown().optional() }).loose().optional(),
    eligibleQuantity: z.object({ value: z.coerce.number() }).loose().optional(),
  })
  .loose();
const Order = z
  .object({
    totalPaymentDue: PriceSpecification.optional(),
    price: Text.optional(),
    priceCurrency: z.string().optional(),
    acceptedOffer: z.union([Offer, z.array(Offer)]).optional(),
    orderNumber: Text.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    category: z.unknown().optional(),
  })
  .loose();

/** Every object in the page's JSON-LD blocks, nested ones included; blocks that are not JSON are passed over. */
export function jsonLdNodes(doc: Document): Record<string, unknown>[] {
  const nodes: Record<string, unknown>[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      nodes.push(value as Record<string, unknown>);
      Object.values(value).forEach(visit);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // a broken block says nothing
    }
  }
  return nodes;
}

const typeIs = (node: Record<string, unknown>, ...types: string[]) => [node['@type']].flat().some((t) => types.includes(String(t)));

/** The priceCurrency of every Product, Offer and price in the JSON-LD, in page order, once each. */
export function jsonLdCurrencies(nodes: Record<string, unknown>[]): string[] {
  const codes = nodes.map((node) => node.priceCurrency).filter((c): c is string => typeof c === 'string' && /^[A-Za-z]{3}$/.test(c.trim()));
  return [...new Set(codes.map((c) => c.trim().toUpperCase()))];
}

export interface JsonLdOrder {
  amount: Money;
  lineItems: LineItem[];
  /** Only when the JSON-LD states a category the protocol knows. */
  category?: Category;
  reference?: string;
  description?: string;
}

/** The first Order or Invoice in the JSON-LD, or null; throws with the reason when one is there but its total cannot be read. */
export function jsonLdOrder(nodes: Record<string, unknown>[]): JsonLdOrder | null {
  const node = nodes.find((n) => typeIs(n, 'Order', 'Invoice'));
  if (!node) return null;
  const order = Order.safeParse(node);
  if (!order.success) throw new Error(`the page's JSON-LD Order is not one the wallet can read (${order.error.issues[0]?.path.join('.')})`);
  const { totalPaymentDue: due, acceptedOffer } = order.data;
  const currency = (due?.priceCurrency ?? order.data.priceCurrency ?? '').trim().toUpperCase();
  const value = due?.price ?? due?.value ?? order.data.price ?? '';
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error("the page's JSON-LD Order has no priceCurrency");
  const amount = { minor: readDecimalPrice(value, currency), currency };
  const offers = [acceptedOffer ?? []].flat();
  const lineItems = offers.map((offer) => ({
    name: (offer.itemOffered?.name ?? offer.name ?? 'item').slice(0, 200),
    quantity: offer.eligibleQuantity?.value ?? 1,
    unitMinor: readDecimalPrice(offer.price ?? '', currency),
  }));
  const total = lineItems.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0);
  const category = Category.safeParse(offers[0]?.itemOffered?.category ?? order.data.category);
  return {
    amount,
    lineItems: total === amount.minor ? lineItems : [],
    ...(category.success ? { category: category.data } : {}),
    reference: order.data.orderNumber?.slice(0, 120),
    description: (order.data.name ?? order.data.description)?.slice(0, 500),
  };
}
