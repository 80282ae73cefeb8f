import { cardShape } from './card.ts';
import { chineseCardShape } from './card-zh.ts';
import { http402Shape } from './http402.ts';
import { paymentRequestShape } from './payment-request.ts';
import { scanToPayShape } from './scan-to-pay.ts';
import { tokenShape } from './token.ts';
import type { CheckoutShape } from './types.ts';
import { walletShape } from './wallet.ts';

export type { CheckoutDeps, CheckoutShape } from './types.ts';

/**
 * Every way to pay an unpaid order, in the order the page shows them. Each is
 * one module; add a shape by adding it here. The ids and names each one
 * promises to the extension's end-to-end tests are at the top of its module
 * and in ../README.md.
 */
export const CHECKOUT_SHAPES: readonly CheckoutShape[] = [
  tokenShape,
  cardShape,
  chineseCardShape,
  paymentRequestShape,
  scanToPayShape,
  http402Shape,
  walletShape,
];

export { checkoutScript } from './script.ts';
