import type { AmountRequest, PendingCheckout } from './state.ts';

/**
 * The requests still awaiting the user, the one count the badge, the popup and the window share:
 * held payments whose time has not run out (the background removes the others as their time runs
 * out; this also hides one in the moment before it does), and amounts the user was asked for.
 */
export function liveRequests(pending: PendingCheckout[], amounts: AmountRequest[], now = Date.now()): { pending: PendingCheckout[]; amounts: AmountRequest[]; count: number } {
  const live = pending.filter((checkout) => Date.parse(checkout.confirmation.expiresAt) > now);
  return { pending: live, amounts, count: live.length + amounts.length };
}

/** "4:32 left": minutes and seconds until `expiresAt`, never below zero. */
export function timeLeft(expiresAt: string, now = Date.now()): { seconds: number; words: string } {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  const minutes = Math.floor(seconds / 60);
  return { seconds, words: `${minutes}:${String(seconds % 60).padStart(2, '0')} left` };
}
