import type { PendingCheckout } from '../shared/state.ts';

/** Words that are a total's label, not a description of what is bought. */
const BARE_TOTAL = /^\s*(order\s+)?(total|amount|subtotal|sum|pay(ment)?|checkout)\s*:?\s*$/i;

/**
 * What the window says is bought: the line items when the page listed them; else the page's own
 * order summary (a card form's page title, the order description), unless that is only a total's
 * label; else a plain sentence that the page named no items.
 */
export function whatIsBought(checkout: Pick<PendingCheckout, 'description' | 'confirmation'>): { items: PendingCheckout['confirmation']['claims']['lineItems']; summary: string | null } {
  const items = checkout.confirmation.claims.lineItems.filter((item) => !BARE_TOTAL.test(item.name));
  const description = checkout.description?.trim() ?? '';
  const summary = description && !BARE_TOTAL.test(description) ? description : null;
  if (items.length > 0) return { items, summary };
  return { items: [], summary: summary ?? `The page names no items, only what it asks for in total.` };
}
