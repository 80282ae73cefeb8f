/**
 * Writing a value into a field so that the page's framework sees it. React
 * keeps its own copy of an input's value and ignores an `input` event whose
 * value went in through the element's own `value` property; the prototype's
 * native setter goes around that copy, so React (and Vue, Angular, Svelte,
 * plain listeners) all take the new value from the events that follow.
 */
import { isSelect } from './deep-dom.ts';
import { findOption } from './expiry-options.ts';

function nativeSetValue(element: HTMLInputElement | HTMLSelectElement, value: string): void {
  // The element's own realm: a field in a same-origin frame has that frame's prototypes.
  const view = element.ownerDocument.defaultView;
  const proto = isSelect(element) ? (view?.HTMLSelectElement ?? HTMLSelectElement).prototype : (view?.HTMLInputElement ?? HTMLInputElement).prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(element, value);
  else element.value = value;
}

function announce(element: Element): void {
  // Composed, so listeners outside a shadow root hear it, as they would a person's typing.
  element.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  element.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** Types `value` into an input, replacing what was there. */
export function setInput(element: HTMLInputElement, value: string): void {
  nativeSetValue(element, value);
  announce(element);
}

/** Picks the first option for which `matches` holds; false, and nothing changed, when none does. */
export function chooseOption(select: HTMLSelectElement, matches: (option: HTMLOptionElement) => boolean): boolean {
  const option = findOption(select, matches);
  if (!option) return false;
  nativeSetValue(select, option.value);
  announce(select);
  return true;
}
