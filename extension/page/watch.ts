import { onWatchRequested } from './channel.ts';

/**
 * Whether checkouts in this page are held for the wallet: a page under
 * automation (`navigator.webdriver`), a page where an agent identified itself
 * through the provider, or a tab the user handed to an agent or opted in.
 * Read synchronously, because a submit must be held in the same event.
 *
 * The holds themselves are installed only once a page is watched
 * (`whenWatched`). A person's own pages never are, and touching the
 * prototypes of forms, elements and XHR costs a page that has no script of
 * its own a few milliseconds (Chromium builds each interface's bindings on
 * first use). Pages an agent drives by automation are watched from
 * document_start, before any page script. A tab handed over later gets its
 * holds then: a page script that kept a reference to `form.submit` from
 * before could still call it unheld, as it could send the form before the
 * handover.
 */
let watching = navigator.webdriver === true;
const installers: (() => void)[] = [];

export const isWatching = (): boolean => watching;

/** Runs `install` now if the page is watched, else once it is. */
export function whenWatched(install: () => void): void {
  if (watching) install();
  else installers.push(install);
}

export function startWatching(): void {
  if (watching) return;
  watching = true;
  for (const install of installers.splice(0)) install();
}

onWatchRequested(startWatching);
