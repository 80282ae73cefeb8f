import { HOLD_FROM_START_EVENT, HOLD_FROM_START_MARK, PORT_ASKED_EVENT, PORT_EVENT } from '../shared/page-channel.ts';
import { once } from '../shared/once.ts';
import { announceWatching, onWatchRequested } from './channel.ts';
import { apply } from './natives.ts';

/**
 * Two questions, kept apart:
 *
 * - **Are the holds installed?** (form submits, requests and images that carry
 *   a card are wrapped.) In every page of a browser where an agent may be at
 *   work: one under automation (`navigator.webdriver`), or one where the user
 *   handed a tab to an agent or opted in, which the background tells every
 *   new page by a script it registers at document_start
 *   (background/hold-from-start.ts). A person's own browser gets none: each
 *   DOM interface first touched costs a page with no script of its own a
 *   little (Chromium builds its bindings then), and the holds touch many.
 * - **Is the page watched?** (do those holds hold.) A page under automation,
 *   a tab handed to an agent or opted in, or a page where an agent named
 *   itself through `window.agentpay`. Read synchronously, because a submit
 *   must be held in the same event.
 *
 * A page held from its start does not know yet whether its own tab is the handed one: the
 * background answers a moment later, while the page's first scripts already run. Until then
 * the holds hold whatever carries a card and let it go once the answer is "not this tab"
 * (`holding()`). The answer comes over a MessagePort the isolated bridge hands this world
 * before any script of the page, so a page cannot forge a "not this tab" to get its card out.
 * Same-origin frames and popups are the exception: their first about:blank document is replaced
 * by their srcdoc or same-origin page in the same Window, whose listeners (the parent page's)
 * then run before ours. Nothing said there can be trusted, so such a page is watched, and its
 * checkouts are the wallet's to decide.
 *
 * A page watched in a browser that was not holding when it loaded (an agent names itself,
 * the user opts in with tabs open) gets its holds then: a page script that kept `form.submit`
 * or opened a request before could still get around them. A tab handed to an agent is held
 * so at once, then reloaded (the background registers the script first), so its holds are
 * there before its first script.
 */
let watching = false;
/** Set while a page held from its start waits for the wallet to say whether it is watched. */
let deciding: Promise<boolean> | null = null;
let install: () => void = () => undefined;

export const isWatching = (): boolean => watching;

/**
 * Whether the holds hold now: `true` or `false`, or, in a page held from its start whose
 * answer has not come yet, a promise that settles when it comes. Whatever carries a card waits
 * for it and then asks again: a page can make a wait end early, never change the answer.
 */
export function holding(): boolean | Promise<boolean> {
  return watching || (deciding ?? false);
}

/** Installs the holds with `installer` as soon as this page needs them (see above). */
export function installHolds(installer: () => void): void {
  install = once(installer);
  // Firefox is not measured against the aim; there the holds stay in every page, as before.
  if (import.meta.env.FIREFOX) install();
  if (Reflect.get(window, HOLD_FROM_START_MARK) === true) holdFromStart();
  if (navigator.webdriver === true) startWatching();
  else window.addEventListener(HOLD_FROM_START_EVENT, holdFromStart, { once: true });
}

export function startWatching(): void {
  if (watching) return;
  watching = true;
  install();
  announceWatching();
}

/**
 * Whether a page of this origin could have reached this window before this document loaded: a
 * same-origin frame (its first about:blank document is replaced in the same Window) or a popup
 * opened by a page of this origin. Only there can a page's listeners come before ours.
 */
function reachableBefore(): boolean {
  if (window.frameElement !== null) return true;
  try {
    return !!window.opener && window.opener.location.origin === location.origin;
  } catch {
    return false; // an opener of another origin
  }
}

/** The page loads while an agent may be at work in this browser: hold now, and ask whether this tab is one. */
function holdFromStart(): void {
  install();
  if (watching || deciding) return;
  // A window another page could hold before this document loaded hears no answer it can trust (see above).
  if (reachableBefore()) return startWatching();
  // Taken now, before the page's scripts can replace the getter the answer is read with.
  const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
  let decide!: () => void;
  deciding = new Promise<boolean>((resolve) => (decide = () => resolve(watching)));
  // Asked and answered within this dispatch, before the page's first statement: no page script can be first.
  const take = (event: Event) => {
    const port = (event as MessageEvent).ports?.[0];
    if (!port) return;
    window.removeEventListener(PORT_EVENT, take);
    port.onmessage = (message: MessageEvent) => {
      if (apply(dataOf, message, []) === true) startWatching();
      deciding = null;
      decide();
      port.close();
    };
  };
  window.addEventListener(PORT_EVENT, take);
  window.dispatchEvent(new Event(PORT_ASKED_EVENT));
  window.removeEventListener(PORT_EVENT, take);
}

onWatchRequested(startWatching);
