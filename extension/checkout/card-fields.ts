/**
 * Finding the card fields of a checkout: in a form, a document, a shadow root
 * or a frame that holds only one of them. `autocomplete="cc-*"` says it best;
 * where a shop leaves it out, the field's labels, placeholder, name and id are
 * matched in six languages (card-words.ts), selects by what they offer, and a
 * number split over boxes by the boxes' sizes (number-boxes.ts).
 */
import { notCard, roleWords } from './card-words.ts';
import { deepQueryAll, isInput } from './deep-dom.ts';
import { refineExpiry } from './expiry-fields.ts';
import { describeField } from './field-labels.ts';
import { numberBoxes } from './number-boxes.ts';

export type CardRole = 'name' | 'number' | 'exp' | 'expMonth' | 'expYear' | 'cvc';

export interface FieldDescription {
  autocomplete?: string | null;
  /** Texts of the field's <label>s, aria-label, aria-labelledby and title. */
  labels?: string[];
  name?: string | null;
  id?: string | null;
  placeholder?: string | null;
  /** The legend or label of the fieldset or ARIA group the field is in: the weakest hint. */
  group?: string | null;
}

const AUTOCOMPLETE: Record<string, CardRole> = {
  'cc-name': 'name', 'cc-number': 'number', 'cc-exp': 'exp',
  'cc-exp-month': 'expMonth', 'cc-exp-year': 'expYear', 'cc-csc': 'cvc',
};

/** The card role a field's description names, or null when it is not a card field. */
export function classifyField(field: FieldDescription): CardRole | null {
  const tokens = (field.autocomplete ?? '').toLowerCase().split(/\s+/);
  for (const token of tokens) {
    const role = AUTOCOMPLETE[token];
    if (role) return role;
  }
  const named = tokens.filter((t) => t && !t.startsWith('section-') && !['billing', 'shipping', 'on', 'off'].includes(t));
  if (named.length > 0) return null; // the shop said what this field is, and it is not a card field
  const own = [...(field.labels ?? []), field.placeholder, field.name, field.id].filter((t): t is string => !!t && t.trim() !== '');
  // Only the field's own words can say it is a birth month or a phone: a legend such as "Contact and payment" covers card fields too.
  if (own.some((text) => notCard().test(text))) return null;
  const texts = field.group?.trim() ? [...own, field.group] : own;
  for (const text of texts) {
    for (const [role, pattern] of roleWords()) if (pattern.test(text)) return role;
  }
  return null;
}

export type CardField = HTMLInputElement | HTMLSelectElement;

/**
 * The card fields found, by role; the first field of each role counts. When
 * the number is split over boxes, `numberParts` holds them in order and
 * `number` is the first box.
 */
export type CardFields = Partial<Record<CardRole, CardField>> & { numberParts?: HTMLInputElement[] };

const SKIPPED_TYPES = ['hidden', 'submit', 'button', 'reset', 'image', 'checkbox', 'radio', 'file', 'range', 'color'];

/** The fields a person could type or pick a card detail into, in page order, through open shadow roots. */
function formFields(root: ParentNode): CardField[] {
  return deepQueryAll(root, 'input, select').filter(
    (element): element is CardField => !isInput(element) || !SKIPPED_TYPES.includes(element.type),
  );
}

/** The card fields under `root` (a form, a document, a shadow root), looking into open shadow roots. */
export function cardFieldsOf(root: ParentNode): CardFields {
  const elements = formFields(root);
  const lang = langOf(root);
  const roles = elements.map((element) => classifyField(describeField(element)));
  refineExpiry(elements, roles, lang);
  const fields: CardFields = {};
  const parts = numberBoxes(elements, roles);
  if (parts) {
    fields.numberParts = parts;
    fields.number = parts[0];
  }
  elements.forEach((element, i) => {
    const role = roles[i];
    if (role && !fields[role] && !(parts && parts.includes(element as HTMLInputElement))) fields[role] = element;
  });
  return fields;
}

/** A form is a card checkout when it asks for a card number. */
export function isCardForm(form: HTMLFormElement): boolean {
  return cardFieldsOf(form).number !== undefined;
}

/** The language the fields are written in, for month names in selects. */
function langOf(root: ParentNode): string | undefined {
  const node = root as Node;
  const start =
    node.nodeType === 1 ? (node as Element)
    : node.nodeType === 11 ? ((node as ShadowRoot).host ?? null)
    : (node as Document).documentElement;
  return start?.closest('[lang]')?.getAttribute('lang') || undefined;
}
