/**
 * The page's document and every shadow root in it, open or closed: checkouts
 * built as web components keep their forms and fields inside them. Content
 * scripts may open closed roots (Chrome's `chrome.dom.openOrClosedShadowRoot`,
 * Firefox's `element.openOrClosedShadowRoot`); the page's own scripts may not.
 */
type Root = Document | ShadowRoot;

function shadowOf(element: Element): ShadowRoot | null {
  const chromeDom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?(e: Element): ShadowRoot | null } } }).chrome?.dom;
  if (chromeDom?.openOrClosedShadowRoot) return chromeDom.openOrClosedShadowRoot(element);
  return (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? element.shadowRoot;
}

export function allRoots(doc: Document = document): Root[] {
  const roots: Root[] = [doc];
  for (let i = 0; i < roots.length; i++) {
    for (const element of roots[i]!.querySelectorAll('*')) {
      const shadow = shadowOf(element);
      if (shadow) roots.push(shadow);
    }
  }
  return roots;
}

/** The first element matching `selector` in the document or any shadow root. */
export function deepQuery<E extends Element = Element>(selector: string, doc: Document = document): E | null {
  for (const root of allRoots(doc)) {
    const found = root.querySelector<E>(selector);
    if (found) return found;
  }
  return null;
}
