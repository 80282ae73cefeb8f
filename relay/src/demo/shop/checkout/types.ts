import type { x402HTTPResourceServer } from '@x402/core/server';
import type { SignedAgents } from '../signed-agents.ts';
import type { Merchant } from '@agentpay/protocol';
import type { Hono } from 'hono';
import type { ChargeCard, ChargeOrder, Order, OrderBook, ReadCharge } from '../orders.ts';

/** What a checkout shape may use: the shop's merchant identity, its orders and its ways to charge. */
export interface CheckoutDeps {
  merchant: Merchant;
  /** The shop's base URL, also its registered origin (payment codes name URLs on it). */
  shopUrl: string;
  orders: OrderBook;
  charge: ChargeOrder;
  chargeCard: ChargeCard;
  /** Reads a charge back from the relay, to learn of refunds the user made in their wallet (none: never learns). */
  readCharge?: ReadCharge;
  /** The merchant's signing key (payment codes are signed with it). */
  signingKey: CryptoKey;
  /** The official x402 resource server, the relay its facilitator; without it the shop takes no HTTP 402 payments. */
  x402?: x402HTTPResourceServer;
  /** Checks agents' signed requests (Web Bot Auth) against the relay's directory; without it, signatures are ignored. */
  agents?: SignedAgents;
  now: () => Date;
  /** Renders the order page again, e.g. with a refusal shown on it. */
  orderPage(order: Order, error?: { code: string; message: string }): Promise<string>;
}

/**
 * One way to pay an order. `render` is its section of the unpaid order page
 * (a `<section class="pay" id="checkout-…">`); `routes` adds whatever the
 * shape needs on the server (a form POST, an API endpoint).
 */
export interface CheckoutShape {
  /** The section's element id. */
  id: string;
  render(order: Order, deps: CheckoutDeps): string | Promise<string>;
  routes?(app: Hono, deps: CheckoutDeps): void;
}
