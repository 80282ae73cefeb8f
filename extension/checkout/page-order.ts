import type { Category, LineItem, Money } from '@agentpay/protocol';
import { jsonLdNodes, jsonLdOrder } from './json-ld.ts';
import { moneyContextOf } from './page-context.ts';
import { linesBeside } from './page-lines.ts';
import { visibleTotalAt } from './page-total.ts';

/** What a card checkout page says it is charging for; shown to the user, bound by the approval. */
export interface PageOrder {
  amount: Money;
  lineItems: LineItem[];
  /** Only when the page's structured data states it; never guessed from the checkout's shape. */
  category?: Category;
  reference?: string;
  description: string;
}

/**
 * Reads the order a checkout pays for: schema.org Order/Invoice JSON-LD when
 * the shop publishes it (exact, with items), else the total the page shows
 * nearest `scope` (the held form or field; null for the whole page), read
 * with the page's language and currencies plus `hints.currencies` (the
 * merchant's registered currency). Throws an Error saying why when there is
 * no total it can read. Whatever the page claims, the token never allows more
 * than the user approved.
 */
export function readPageOrder(doc: Document, scope: Element | null, hints: { currencies?: readonly string[]; stopAtUnsure?: boolean } = {}): PageOrder {
  const nodes = jsonLdNodes(doc);
  let structuredProblem: string | undefined;
  try {
    const order = jsonLdOrder(nodes);
    if (order) return { ...order, description: order.description ?? doc.title.slice(0, 500) };
  } catch (error) {
    // A structured order the wallet cannot read: the visible total may still be readable.
    structuredProblem = (error as Error).message;
  }
  const context = moneyContextOf(doc, scope, nodes, hints.currencies);
  try {
    const { money: amount, element } = visibleTotalAt(doc, scope, context, { stopAtUnsure: hints.stopAtUnsure });
    return { amount, lineItems: linesBeside(element, amount, context), description: doc.title.slice(0, 500) };
  } catch (error) {
    throw new Error(structuredProblem ? `${(error as Error).message}; ${structuredProblem}` : (error as Error).message);
  }
}
