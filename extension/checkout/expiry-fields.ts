/**
 * Telling a month and a year apart where the labels do not: two selects
 * under one "Expiry date" label, or two short inputs after one. A select is
 * what it offers (twelve months, years to come) whatever it is called.
 */
import type { CardField, CardRole } from './card-fields.ts';
import { isInput, isSelect } from './deep-dom.ts';
import { selectKind } from './expiry-options.ts';

const EXPIRY_ROLES: (CardRole | null)[] = ['exp', 'expMonth', 'expYear'];

/** The number of characters a box takes, from maxlength, or null when it sets none. */
export function boxLength(element: CardField): number | null {
  const max = Number(element.getAttribute('maxlength'));
  return Number.isInteger(max) && max > 0 ? max : null;
}

/** Rewrites `roles` in place where the fields' contents or sizes say more than their labels. */
export function refineExpiry(fields: CardField[], roles: (CardRole | null)[], lang?: string): void {
  const kinds = fields.map((field) => (isSelect(field) ? selectKind(field, lang) : null));
  const isExpiry = (i: number) => EXPIRY_ROLES.includes(roles[i] ?? null);
  fields.forEach((_field, i) => {
    const pairedYear = kinds[i + 1] === 'year' && (roles[i + 1] === null || isExpiry(i + 1));
    if (kinds[i] === 'month' && (isExpiry(i) || (roles[i] === null && pairedYear))) roles[i] = 'expMonth';
    // After the month is settled: an unlabelled year select right after it is its year.
    else if (kinds[i] === 'year' && (isExpiry(i) || (roles[i] === null && roles[i - 1] === 'expMonth'))) roles[i] = 'expYear';
  });
  // "Expiry date" over two short inputs: MM then YY or YYYY.
  fields.forEach((field, i) => {
    const next = fields[i + 1];
    if (roles[i] !== 'exp' || !isInput(field) || !next || !isInput(next)) return;
    const nextRole = roles[i + 1] ?? null;
    if (boxLength(field) === 2 && [2, 4].includes(boxLength(next) ?? 0) && (nextRole === null || EXPIRY_ROLES.includes(nextRole))) {
      roles[i] = 'expMonth';
      roles[i + 1] = 'expYear';
    }
  });
}
