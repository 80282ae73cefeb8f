/**
 * `document.open()` (a widget writing its card form into a blank frame) drops
 * every event listener of the window and the document, in every world, the
 * extension's too. A mutation observer survives it: whenever the document's
 * own children are replaced, `again` adds the listeners back (adding a
 * listener that is still there does nothing, so calling it on the first
 * parse too costs nothing).
 */
export function afterDocumentOpen(again: () => void): void {
  new MutationObserver(again).observe(document, { childList: true });
}
