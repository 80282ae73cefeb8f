import { onWatchRequested } from './channel.ts';

/**
 * Whether checkouts in this page are held for the wallet: a page under
 * automation (`navigator.webdriver`), a page where an agent identified itself
 * through the provider, or a tab the user handed to an agent or opted in.
 * Read synchronously, because a submit must be held in the same event.
 */
let watching = navigator.webdriver === true;

export const isWatching = (): boolean => watching;

export function startWatching(): void {
  watching = true;
}

onWatchRequested(startWatching);
