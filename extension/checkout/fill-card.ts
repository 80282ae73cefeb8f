/**
 * Writing the token's card into a held checkout, overwriting whatever the
 * agent typed: one number field or its boxes, month and year selects or
 * inputs, a single expiry in the shape its field asks for, the CVC.
 */
import { type CardField, type CardFields, type CardRole, cardFieldsOf } from './card-fields.ts';
import { isSelect } from './deep-dom.ts';
import { boxLength } from './expiry-fields.ts';
import { formatExpiry, yearDigitsOf, yearText } from './expiry-format.ts';
import { optionMonth, optionYear } from './expiry-options.ts';
import { chooseOption, setInput } from './set-field.ts';

export interface TokenCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * Fills whatever card fields `root` holds (a form, a document, a shadow root,
 * a frame with only the expiry) and returns the roles it filled; the caller
 * decides whether a missing number is an error. The holder's name is written
 * only into an empty field: the agent's name for the person stays, since the
 * token's card is charged whatever name goes with it.
 */
export function fillCardFields(root: ParentNode, card: TokenCard, holderName: string): CardRole[] {
  return fillFields(cardFieldsOf(root), card, holderName);
}

/** For a held form: fills it and throws, before writing anything, when it has no card number field. */
export function fillCard(form: HTMLFormElement, card: TokenCard, holderName: string): void {
  const fields = cardFieldsOf(form);
  if (!fields.number) throw new Error('the checkout form no longer has a card number field');
  fillFields(fields, card, holderName);
}

function fillFields(fields: CardFields, card: TokenCard, holderName: string): CardRole[] {
  const filled: CardRole[] = [];
  const fill = (role: CardRole, done: boolean) => {
    if (done) filled.push(role);
  };
  if (fields.numberParts) {
    const pieces = splitNumber(card.number, fields.numberParts.map((box) => boxLength(box) ?? 4));
    fields.numberParts.forEach((box, i) => setInput(box, pieces[i] ?? ''));
    fill('number', true);
  } else if (fields.number) fill('number', writeText(fields.number, card.number));
  if (fields.exp) fill('exp', isSelect(fields.exp) ? chooseExpiry(fields.exp, card) : writeText(fields.exp, formatExpiry(fields.exp, card.expMonth, card.expYear)));
  if (fields.expMonth) fill('expMonth', writeMonth(fields.expMonth, card.expMonth));
  if (fields.expYear) fill('expYear', writeYear(fields.expYear, card.expYear));
  if (fields.cvc) fill('cvc', writeText(fields.cvc, card.cvc));
  if (fields.name && !fields.name.value.trim()) fill('name', writeText(fields.name, holderName));
  return filled;
}

/**
 * The number cut to the boxes' sizes: four boxes take 4/4/4/rest whatever
 * their maxlength (often 5 or 6 to allow a pasted space), three boxes their
 * own sizes (4/6/5 for a 15-digit card).
 */
export function splitNumber(number: string, sizes: number[]): string[] {
  const cuts = sizes.length >= 4 ? sizes.map((size, i) => (i === sizes.length - 1 ? Infinity : Math.min(size, 4))) : sizes.map((size, i) => (i === sizes.length - 1 ? Infinity : size));
  const pieces: string[] = [];
  let at = 0;
  for (const cut of cuts) {
    pieces.push(number.slice(at, at + cut));
    at += pieces[pieces.length - 1]!.length;
  }
  return pieces;
}

/** Text into an input; a select named for text (rare) gets the option that reads the same. */
function writeText(field: CardField, value: string): boolean {
  if (isSelect(field)) return chooseOption(field, (o) => o.value === value || o.text.trim() === value);
  setInput(field, value);
  return true;
}

function writeMonth(field: CardField, month: number): boolean {
  if (isSelect(field)) return chooseOption(field, (o) => optionMonth(o, field.closest('[lang]')?.getAttribute('lang') ?? undefined) === month);
  setInput(field, String(month).padStart(2, '0'));
  return true;
}

function writeYear(field: CardField, year: number): boolean {
  if (isSelect(field)) return chooseOption(field, (o) => optionYear(o) === year);
  setInput(field, yearText(year, yearDigitsOf(field)));
  return true;
}

/** A single select of expiries ("01/31", "01/2031"). */
function chooseExpiry(select: HTMLSelectElement, card: TokenCard): boolean {
  const mm = String(card.expMonth).padStart(2, '0');
  const wanted = [`${mm}/${yearText(card.expYear, 2)}`, `${mm}/${card.expYear}`, `${mm}${yearText(card.expYear, 2)}`];
  return chooseOption(select, (o) => wanted.includes(o.value.replace(/\s/g, '')) || wanted.includes(o.text.replace(/\s/g, '')));
}
