/**
 * What a form field says about itself, gathered the way assistive technology
 * finds a field's name: its `<label>`s (by `for` or wrapping), aria-label,
 * aria-labelledby, then placeholder, name and id, and last the legend or
 * label of the group it is in (four card-number boxes under one "Card number").
 */
import type { FieldDescription } from './card-fields.ts';
import { composedParent, spacedText } from './deep-dom.ts';

export function describeField(element: HTMLInputElement | HTMLSelectElement): FieldDescription {
  const labels = [...(element.labels ?? [])].map(spacedText);
  const aria = element.getAttribute('aria-label');
  if (aria) labels.push(aria);
  labels.push(...labelledBy(element));
  const title = element.getAttribute('title');
  if (title) labels.push(title);
  return {
    autocomplete: element.getAttribute('autocomplete'),
    labels,
    name: element.getAttribute('name'),
    id: element.id,
    placeholder: element.getAttribute('placeholder'),
    group: groupLabel(element),
  };
}

/** Texts of the elements aria-labelledby names, looked up in the field's own tree (document or shadow root). */
function labelledBy(element: Element): string[] {
  const ids = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  const root = element.getRootNode() as Document | ShadowRoot;
  if (ids.length === 0 || typeof root.getElementById !== 'function') return [];
  return ids.map((id) => root.getElementById(id)).filter((e): e is HTMLElement => e !== null).map(spacedText);
}

/** The label of the nearest fieldset or ARIA group around the field, if it has one. */
function groupLabel(element: Element): string | undefined {
  for (let node = composedParent(element); node; node = composedParent(node)) {
    if (node.localName === 'fieldset') {
      const legend = [...node.children].find((child) => child.localName === 'legend');
      if (legend) return spacedText(legend);
    }
    if (node.getAttribute('role') === 'group' || node.getAttribute('role') === 'radiogroup') {
      const label = node.getAttribute('aria-label') ?? labelledBy(node).join(' ');
      if (label) return label;
    }
    if (node.localName === 'form') return undefined;
  }
  return undefined;
}
