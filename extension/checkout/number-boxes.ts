/**
 * A card number split over boxes: usually four inputs of maxlength 4 (or
 * 4/6/5 for a 15-digit card), one label before the first or none at all and
 * names such as cc1..cc4 or cardnumber[0]..cardnumber[3].
 */
import type { CardField, CardRole } from './card-fields.ts';
import { numberStem, roleWords } from './card-words.ts';
import { once } from '../shared/once.ts';
import { isInput } from './deep-dom.ts';
import { boxLength } from './expiry-fields.ts';

/** A box is short: a whole card number (13–19 digits) cannot fit in it. */
const isBox = (field: CardField): field is HTMLInputElement => isInput(field) && (boxLength(field) ?? 99) <= 6 && (boxLength(field) ?? 0) >= 2;

/** "cc1", "card_no_2", "cardnumber[3]" → "cc", "card_no", "cardnumber": what the boxes have in common. */
function stem(field: CardField): string {
  return (field.getAttribute('name') || field.id || '').replace(/[-_[\s]*\d+\]?$/, '');
}

const numberWords = once(() => roleWords().find(([role]) => role === 'number')![1]);

function namesANumber(name: string): boolean {
  return name !== '' && (numberStem().test(name) || numberWords().test(name));
}

/**
 * The boxes of a split card number in order, or null when the number is one
 * field (or absent). Boxes run on from the first one while they are short and
 * unlabelled or labelled as the number; a 4/6/5 run is a 15-digit card's three,
 * any other run holds four boxes at most (a short box after them is the CVC).
 */
export function numberBoxes(fields: CardField[], roles: (CardRole | null)[]): HTMLInputElement[] | null {
  for (let start = 0; start < fields.length; start++) {
    const first = fields[start]!;
    if (!isBox(first) || (roles[start] !== 'number' && roles[start] !== null)) continue;
    const run: HTMLInputElement[] = [];
    for (let i = start; i < fields.length && run.length < 4; i++) {
      const field = fields[i]!;
      if (!isBox(field) || (roles[i] !== 'number' && roles[i] !== null)) break;
      // Unlabelled boxes after an unlabelled first one belong with it only when named alike (cc1, cc2, ...).
      if (i > start && roles[start] === null && stem(field) !== stem(first)) break;
      run.push(field);
    }
    const sizes = run.map((box) => boxLength(box)!);
    const boxes = sizes.slice(0, 3).join('/') === '4/6/5' ? run.slice(0, 3) : run;
    const digits = boxes.reduce((sum, box) => sum + boxLength(box)!, 0);
    const labelled = roles[start] === 'number';
    const named = boxes.length >= 3 && namesANumber(stem(first));
    if (boxes.length >= 2 && digits >= 13 && (labelled || named)) return boxes;
    if (labelled) return null; // the number field is labelled but not split: cardFieldsOf takes it as one
  }
  return null;
}
