/**
 * Finding the card fields of a checkout form. `autocomplete="cc-*"` says it
 * best; where a shop leaves it out, the field's labels, name, id, placeholder
 * and aria-label are matched in English and Chinese.
 */
export type CardRole = 'name' | 'number' | 'exp' | 'expMonth' | 'expYear' | 'cvc';

export interface FieldDescription {
  autocomplete?: string | null;
  /** Texts of the field's <label>s and aria-label. */
  labels?: string[];
  name?: string | null;
  id?: string | null;
  placeholder?: string | null;
}

const AUTOCOMPLETE: Record<string, CardRole> = {
  'cc-name': 'name', 'cc-number': 'number', 'cc-exp': 'exp',
  'cc-exp-month': 'expMonth', 'cc-exp-year': 'expYear', 'cc-csc': 'cvc',
};

/** Checked in order: the first role whose pattern matches wins, so the narrow ones come first. */
const PATTERNS: [CardRole, RegExp][] = [
  ['cvc', /\b(cvc|cvv2?|cvn|csc|card ?code)\b|security ?code|安全码|卡验证码|校验码|验证值/i],
  // "有效期 (月/年)", "Expiry month / year", "MM/YY": one field for both, so before the month-only pattern.
  ['exp', /(月|mm|month)\s*[/／]\s*(年|yy|year)/i],
  ['expMonth', /exp\w*[ _-]?month|month|\bmm\b(?!\s*\/)|有效期.{0,3}月|^月$|到期月/i],
  ['expYear', /exp\w*[ _-]?year|\byear\b|^yy(yy)?$|有效期.{0,3}年|^年$|到期年/i],
  ['exp', /expir|\bexp\b|valid ?(thru|until)|mm ?\/ ?yy|有效期|到期/i],
  ['name', /name ?on ?card|card ?holder|holder ?name|持卡人|户名/i],
  ['number', /card ?(number|no\.?|num)|cc-?num|\bpan\b|卡号|银行卡|信用卡/i],
];

export function classifyField(field: FieldDescription): CardRole | null {
  const tokens = (field.autocomplete ?? '').toLowerCase().split(/\s+/);
  for (const token of tokens) {
    const role = AUTOCOMPLETE[token];
    if (role) return role;
  }
  const named = tokens.filter((t) => t && !t.startsWith('section-') && !['billing', 'shipping', 'on', 'off'].includes(t));
  if (named.length > 0) return null; // the shop said what this field is, and it is not a card field
  const texts = [...(field.labels ?? []), field.placeholder, field.name, field.id].filter((t): t is string => !!t && t.trim() !== '');
  for (const text of texts) {
    for (const [role, pattern] of PATTERNS) if (pattern.test(text)) return role;
  }
  return null;
}

export type CardFields = Partial<Record<CardRole, HTMLInputElement | HTMLSelectElement>>;

function describe(element: HTMLInputElement | HTMLSelectElement): FieldDescription {
  const labels = [...(element.labels ?? [])].map((label) => label.textContent ?? '');
  const aria = element.getAttribute('aria-label');
  if (aria) labels.push(aria);
  return {
    autocomplete: element.getAttribute('autocomplete'),
    labels,
    name: element.getAttribute('name'),
    id: element.id,
    placeholder: element.getAttribute('placeholder'),
  };
}

/** The card fields of a form, by role; the first field of each role counts. */
export function cardFieldsOf(form: HTMLFormElement): CardFields {
  const fields: CardFields = {};
  for (const element of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    if (element instanceof HTMLInputElement && ['hidden', 'submit', 'button', 'checkbox', 'radio'].includes(element.type)) continue;
    const role = classifyField(describe(element));
    if (role && !fields[role]) fields[role] = element;
  }
  return fields;
}

/** A form is a card checkout when it asks for a card number. */
export function isCardForm(form: HTMLFormElement): boolean {
  return cardFieldsOf(form).number !== undefined;
}
