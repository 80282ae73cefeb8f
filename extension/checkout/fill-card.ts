import { type CardFields, type CardRole, cardFieldsOf } from './card-fields.ts';

export interface TokenCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * Writes the token's card details into a held form, overwriting whatever the
 * agent typed, and fires input and change events so frameworks notice.
 * Throws when the form has no card number field left to fill.
 */
export function fillCard(form: HTMLFormElement, card: TokenCard, holderName: string): void {
  if (!fillCardFields(form, card, holderName).includes('number')) throw new Error('the checkout form no longer has a card number field');
}

/** Fills whatever card fields `root` has (a frame may hold only the expiry); answers the roles it filled. */
export function fillCardFields(root: ParentNode, card: TokenCard, holderName: string): CardRole[] {
  const fields: CardFields = cardFieldsOf(root as HTMLFormElement);
  const month = String(card.expMonth).padStart(2, '0');
  const year2 = String(card.expYear % 100).padStart(2, '0');
  if (fields.number) set(fields.number, card.number);
  if (fields.cvc) set(fields.cvc, card.cvc);
  if (fields.name && !fields.name.value) set(fields.name, holderName);
  if (fields.exp) {
    const wantsLongYear = /yyyy|年/i.test(fields.exp.getAttribute('placeholder') ?? '') || fields.exp.getAttribute('maxlength') === '7';
    set(fields.exp, `${month}/${wantsLongYear ? card.expYear : year2}`);
  }
  if (fields.expMonth) set(fields.expMonth, month, String(card.expMonth));
  if (fields.expYear) set(fields.expYear, String(card.expYear), year2);
  return (Object.keys(fields) as CardRole[]).filter((role) => role !== 'name');
}

/** Sets a field's value; a <select> gets the first option matching any of `values`. */
function set(element: HTMLInputElement | HTMLSelectElement, ...values: string[]): void {
  if (element instanceof HTMLSelectElement) {
    const option = [...element.options].find((o) => values.includes(o.value) || values.includes(o.text.trim()));
    if (option) element.value = option.value;
  } else {
    element.value = values[0]!;
  }
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}
