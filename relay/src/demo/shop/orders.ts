import type { Charge, LineItem, Money } from '@agentpay/protocol';
import { invalidRequest, randomString } from '@agentpay/protocol';
import * as z from 'zod';
import { CATEGORY, CURRENCY, findProduct } from './catalog.ts';
import { ShopError } from './errors.ts';

/** What an agent or the checkout page asks for. */
export const OrderRequest = z
  .object({
    items: z
      .array(z.object({ productId: z.string().min(1), quantity: z.number().int().min(1, 'quantity must be at least 1').max(99) }).strict())
      .min(1, 'an order needs at least one item'),
  })
  .strict();
export type OrderRequest = z.infer<typeof OrderRequest>;

/**
 * An order carries exactly what an agent needs to build an intent:
 * merchantId, amount, lineItems (in the protocol's shape) and category.
 */
export interface Order {
  orderId: string;
  merchantId: string;
  status: 'unpaid' | 'paid';
  amount: Money;
  lineItems: LineItem[];
  category: typeof CATEGORY;
  createdAt: string;
  paidAt: string | null;
  chargeId: string | null;
  /**
   * Money given back on a paid order, as the relay's charge says (a refund the user made in the AI
   * Wallet, or the shop's own): `partially_refunded` or `refunded`, and how much. Null: none.
   */
  refund: { status: 'partially_refunded' | 'refunded'; amount: Money } | null;
}

/** The relay's charge as it is now (GET /v1/merchant/charges/{id}): its refunds included. */
export type ReadCharge = (chargeId: string) => Promise<Charge>;

/** Charges `token` for the order through the relay; resolves to the relay's charge id. */
export type ChargeOrder = (order: Order, token: string) => Promise<{ id: string }>;

/** Card details as the relay's merchant API takes them (`ChargeRequest.card`). */
export interface CardCharge {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** Charges card details for the order through the relay; resolves to the relay's charge id. */
export type ChargeCard = (order: Order, card: CardCharge) => Promise<{ id: string }>;

/** Validates an order request and prices it from the catalog; refusals name what was wrong. */
export function priceOrder(input: unknown): LineItem[] {
  const parsed = OrderRequest.safeParse(input);
  if (!parsed.success) {
    const error = invalidRequest('the order', parsed.error.issues);
    throw new ShopError(error.code, error.message, 400);
  }
  return parsed.data.items.map(({ productId, quantity }) => {
    const product = findProduct(productId);
    if (!product) throw new ShopError('unknown_product', `no product "${productId}" in this shop; see GET /api/products`, 422);
    return { name: product.name, quantity, unitMinor: product.unitMinor };
  });
}

/** Orders in memory: enough for a demo, gone on restart. */
export class OrderBook {
  private readonly orders = new Map<string, Order>();
  /** The pay attempt in flight per order, so two pays of one order run one after the other. */
  private readonly paying = new Map<string, Promise<Order>>();

  constructor(readonly merchantId: string) {}

  create(input: unknown): Order {
    const lineItems = priceOrder(input);
    const order: Order = {
      orderId: `ord_${randomString(16)}`,
      merchantId: this.merchantId,
      status: 'unpaid',
      amount: { minor: lineItems.reduce((sum, item) => sum + item.quantity * item.unitMinor, 0), currency: CURRENCY },
      lineItems,
      category: CATEGORY,
      createdAt: new Date().toISOString(),
      paidAt: null,
      chargeId: null,
      refund: null,
    };
    this.orders.set(order.orderId, order);
    return snapshot(order);
  }

  get(orderId: string): Order {
    return snapshot(this.find(orderId));
  }

  /**
   * The order with its refunds brought up to date: the merchant reads its charge at the relay, the way
   * a payments API is asked for a charge's refunds. While the relay cannot answer, the order is shown
   * as last known.
   */
  async current(orderId: string, readCharge: ReadCharge | undefined): Promise<Order> {
    const order = this.find(orderId);
    if (!readCharge || order.status !== 'paid' || !order.chargeId) return snapshot(order);
    try {
      const charge = await readCharge(order.chargeId);
      const amount = { minor: charge.refundedMinor, currency: charge.amount.currency };
      order.refund = charge.status === 'succeeded' ? null : { status: charge.status, amount };
    } catch {
      // The relay is away (restarting): what the shop knew stands.
    }
    return snapshot(order);
  }

  list(): Order[] {
    return [...this.orders.values()].map(snapshot);
  }

  /**
   * Pays an order with an agent's token. Paying a paid order answers with it
   * as it is and charges nothing; a refused token leaves it unpaid.
   */
  pay(orderId: string, token: unknown, charge: ChargeOrder): Promise<Order> {
    this.find(orderId);
    if (typeof token !== 'string' || token.length === 0) {
      return Promise.reject(new ShopError('invalid_request', 'pay with { "token": "<the secret of the token the relay granted>" }', 400));
    }
    return this.settle(orderId, (order) => charge(order, token));
  }

  /**
   * Pays an order by any means (a token, card details): `charge` runs at most
   * once at a time per order and not at all once it is paid, so two checkout
   * shapes racing for one order charge once.
   */
  settle(orderId: string, charge: (order: Order) => Promise<{ id: string }>): Promise<Order> {
    const order = this.find(orderId);
    const previous = this.paying.get(orderId) ?? Promise.resolve(order);
    const attempt = previous
      .catch(() => order)
      .then(async () => {
        if (order.status === 'paid') return snapshot(order);
        const result = await charge(snapshot(order)).catch((error: unknown) => {
          throw ShopError.fromRelay(error);
        });
        Object.assign(order, { status: 'paid', chargeId: result.id, paidAt: new Date().toISOString() });
        return snapshot(order);
      });
    this.paying.set(orderId, attempt);
    const forget = () => {
      if (this.paying.get(orderId) === attempt) this.paying.delete(orderId);
    };
    attempt.then(forget, forget);
    return attempt;
  }

  private find(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (!order) throw new ShopError('not_found', `no order ${orderId} in this shop`, 404);
    return order;
  }
}

const snapshot = (order: Order): Order => structuredClone(order);
