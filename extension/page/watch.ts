import { HOLD_FROM_START_EVENT, HOLD_FROM_START_MARK } from '../shared/page-channel.ts';
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
 * A page watched in a browser that was not holding when it loaded (an agent
 * names itself, the user opts in with tabs open) gets its holds then: a page
 * script that kept `form.submit` or opened a request before could still get
 * around them. A tab handed to an agent is held so at once, then reloaded (the
 * background registers the script first), so its holds are there before its first script.
 */
let watching = false;
let install: () => void = () => undefined;

export const isWatching = (): boolean => watching;

/** Installs the holds with `installer` as soon as this page needs them (see above). */
export function installHolds(installer: () => void): void {
  install = once(installer);
  // Firefox is not measured against the aim; there the holds stay in every page, as before.
  if (import.meta.env.FIREFOX || Reflect.get(window, HOLD_FROM_START_MARK) === true) install();
  if (navigator.webdriver === true) startWatching();
  else window.addEventListener(HOLD_FROM_START_EVENT, () => install(), { once: true });
}

export function startWatching(): void {
  if (watching) return;
  watching = true;
  install();
  announceWatching();
}

onWatchRequested(startWatching);
