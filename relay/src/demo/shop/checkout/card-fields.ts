import * as z from 'zod';
import { ShopError } from '../errors.ts';
import type { CardCharge } from '../orders.ts';

/** The four fields of a card form, by what they mean; each form names them its own way. */
export interface CardFormFields {
  name: unknown;
  number: unknown;
  expiry: unknown;
  cvc: unknown;
}

/** How a form labels its fields, so a refusal names the field the person sees. */
export type CardLabels = Record<keyof CardFormFields, string>;

const text = z.string().default('');

/**
 * Checks only the form's shape (digits, MM/YY). Whether the card is genuine
 * and unexpired is the relay's to say: it knows the tokens' card details.
 */
function schema(labels: CardLabels) {
  return z.object({
    name: text.pipe(z.string().trim().min(1, `${labels.name} is required`).max(100, `${labels.name} is at most 100 characters`)),
    number: text
      .transform((value) => value.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{12,19}$/, `${labels.number} must be 12 to 19 digits`)),
    expiry: text.pipe(z.string().trim().regex(/^(0?[1-9]|1[0-2])\s*\/\s*(\d{2}|\d{4})$/, `${labels.expiry} must be MM/YY, e.g. 08/29`)),
    cvc: text.pipe(z.string().trim().regex(/^\d{3,4}$/, `${labels.cvc} must be 3 or 4 digits`)),
  });
}

/** A card form's fields as the relay's `card`; a refusal names every bad field by its label. */
export function readCard(fields: CardFormFields, labels: CardLabels): CardCharge {
  const result = schema(labels).safeParse(fields);
  if (!result.success) {
    throw new ShopError('invalid_card_form', result.error.issues.map((issue) => issue.message).join('; '), 400);
  }
  const [month, year] = result.data.expiry.split('/').map((part) => part.trim()) as [string, string];
  return {
    number: result.data.number,
    expMonth: Number(month),
    // A two-digit year is this century's: card expiries are never decades past.
    expYear: year.length === 2 ? 2000 + Number(year) : Number(year),
    cvc: result.data.cvc,
  };
}
