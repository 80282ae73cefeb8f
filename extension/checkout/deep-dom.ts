/**
 * Reading a page the way a person sees it, across open shadow roots: checkout
 * forms inside web components are as much the page as the light DOM.
 * Type checks go by tag name, not `instanceof`, so nodes from another frame's
 * realm (same-origin iframes) are recognised too.
 */

/** Elements of `root` matching `selector`, in document order, with those inside open shadow roots at their host's place. */
export function deepQueryAll(root: ParentNode, selector: string): Element[] {
  const found: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    if (element.matches(selector)) found.push(element);
    if (element.shadowRoot) found.push(...deepQueryAll(element.shadowRoot, selector));
  }
  return found;
}

/** The element's parent, stepping out of a shadow root to its host. */
export function composedParent(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.parentNode;
  return root && 'host' in root ? (root as ShadowRoot).host : null;
}

const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'select', 'option', 'datalist', 'textarea']);

/**
 * An element's visible-ish text with its parts apart ("Total" and "256.00"
 * in two cells read as "Total 256.00"), walking into open shadow roots and
 * their slots, and leaving out the options of selects (a label wrapping a
 * month select is not called "January February ...").
 */
export function spacedText(element: Element): string {
  const parts: string[] = [];
  collect(element, parts);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function collect(node: Node, parts: string[]): void {
  if (node.nodeType === 3) {
    parts.push(node.nodeValue ?? '');
    return;
  }
  if (node.nodeType !== 1 && node.nodeType !== 11) return;
  const element = node as Element;
  if (node.nodeType === 1) {
    if (SKIPPED.has(element.localName) || element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return;
    if (element.localName === 'slot') {
      const assigned = (element as HTMLSlotElement).assignedNodes?.({ flatten: true }) ?? [];
      if (assigned.length > 0) {
        for (const child of assigned) collect(child, parts);
        return;
      }
    }
    if (element.shadowRoot) {
      collect(element.shadowRoot, parts);
      return;
    }
  }
  for (const child of node.childNodes) collect(child, parts);
}

/** Whether an element is an `<input>` (of any realm). */
export function isInput(element: Element): element is HTMLInputElement {
  return element.localName === 'input';
}

/** Whether an element is a `<select>` (of any realm). */
export function isSelect(element: Element): element is HTMLSelectElement {
  return element.localName === 'select';
}
