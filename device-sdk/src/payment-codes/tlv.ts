import { UnpayableCodeError } from './errors.ts';

/** One EMVCo data object: a two-digit ID, a two-digit length (in characters) and the value. */
export interface DataObject {
  id: string;
  value: string;
}

/**
 * Splits an EMVCo TLV string into its data objects, in order. Lengths count
 * characters (a Chinese merchant name of four characters has length 04), so
 * the string is walked by code points, not bytes.
 */
export function readTlv(text: string, where = 'the code'): DataObject[] {
  const chars = Array.from(text);
  const objects: DataObject[] = [];
  let at = 0;
  while (at < chars.length) {
    const head = chars.slice(at, at + 4).join('');
    if (!/^\d{4}$/.test(head)) {
      throw new UnpayableCodeError('damaged_code', `${where} is damaged at character ${at}: expected a two-digit ID and a two-digit length, found "${head}"`);
    }
    const id = head.slice(0, 2);
    const length = Number(head.slice(2));
    if (at + 4 + length > chars.length) {
      throw new UnpayableCodeError('damaged_code', `${where} is damaged: field ${id} says ${length} characters but only ${chars.length - at - 4} remain`);
    }
    objects.push({ id, value: chars.slice(at + 4, at + 4 + length).join('') });
    at += 4 + length;
  }
  return objects;
}
