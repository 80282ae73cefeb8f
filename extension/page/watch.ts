import { HOLD_FROM_START_EVENT, HOLD_FROM_START_MARK, PORT_ASKED_EVENT, PORT_EVENT } from '../shared/page-channel.ts';
import { once } from '../shared/once.ts';
import { announceWatching, onWatchRequested } from './channel.ts';

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
 * answer has not come yet, a promise of it. Whatever carries a card waits for that promise.
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

/** The page loads while an agent may be at work in this browser: hold now, and ask whether this tab is one. */
function holdFromStart(): void {
  install();
  if (watching || deciding) return;
  let decide!: (watched: boolean) => void;
  deciding = new Promise<boolean>((resolve) => (decide = resolve));
  // Asked and answered within this dispatch, before the page's first statement: no page script can be first.
  const take = (event: Event) => {
    const port = (event as MessageEvent).ports?.[0];
    if (!port) return;
    window.removeEventListener(PORT_EVENT, take);
    port.onmessage = ({ data }: MessageEvent) => {
      if (data === true) startWatching();
      deciding = null;
      decide(data === true);
      port.close();
    };
  };
  window.addEventListener(PORT_EVENT, take);
  window.dispatchEvent(new Event(PORT_ASKED_EVENT));
  window.removeEventListener(PORT_EVENT, take);
}

onWatchRequested(startWatching);
