import { ProtocolError } from '@agentpay/protocol';
import { ZodError } from 'zod';
import type { CheckoutError } from '../shared/messages.ts';

/** A checkout that cannot go on, with a code and a sentence the user is shown. */
export class CheckoutFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What each failure a user can meet means to them, in one sentence: what happened, whether anything
 * was paid, what to do. Keyed by the relay's error codes and the extension's own. Every failure here
 * happens before a shop charged anything (the relay never charges for the wallet), so each says so.
 */
export const FAILURE_SENTENCES: Record<string, string> = {
  relay_unreachable: "AgentPay's relay cannot be reached, so nothing was paid. Check that the relay is running and this computer is online, then try again.",
  confirmation_expired: 'This request expired before your answer reached the relay, so nothing was paid. Ask the agent to try again if you still want it.',
  intent_not_pending: 'This payment was already answered or ended elsewhere, so nothing more was paid here. The AI Wallet shows what happened to it.',
  step_up_required: 'This amount needs your passkey as well, so nothing was paid yet. Approve again and confirm with your passkey.',
  step_up_failed: 'Your passkey could not be checked, so the payment was not approved and nothing was paid. Try Approve again.',
  approval_mismatch: 'What you approved no longer matches this payment, so the relay refused it and nothing was paid. Ask the agent to try again.',
  agent_paused: 'This agent is paused, so it cannot pay and nothing was paid. Resume it in the AI Wallet if you want it to.',
  agent_revoked: "This agent's access was revoked, so it cannot pay and nothing was paid.",
  unauthenticated: 'The relay no longer recognises this browser\'s wallet, so nothing was paid. Pair AgentPay again in its options page.',
  bad_signature: 'The relay no longer recognises this browser\'s wallet, so nothing was paid. Pair AgentPay again in its options page.',
  unknown_wallet: 'The relay no longer recognises this browser\'s wallet, so nothing was paid. Pair AgentPay again in its options page.',
  not_paired: 'AgentPay is not paired with a relay yet, so nothing was paid. Open its options page and pair it.',
  stale_request: "This computer's clock looks wrong to the relay, so it refused the request and nothing was paid. Correct the clock, then try again.",
  replayed_request: 'The relay saw this request twice and refused the second, so nothing more was paid. Try again.',
  rate_limited: 'The relay is handling too many requests right now, so nothing was paid. Try again in a minute.',
  store_unavailable: "The relay's database is not answering, so nothing was paid. Try again in a moment.",
  internal_error: 'The relay had a problem finishing this, so nothing was paid. Try again in a moment.',
  token_expired: "The shop did not charge before the one-time card expired, so nothing was paid. Ask the agent to buy again if you still want it.",
  token_revoked: 'The one-time card for this payment was cancelled before the shop charged it, so nothing was paid.',
  card_declined: 'The payment was declined, so nothing was paid. Ask the agent to try again if you still want it.',
  merchant_refused: 'The shop refused the payment, so nothing was paid. Ask the agent to try again, or buy on the shop\'s site yourself.',
  tab_closed: "The checkout's tab was closed, so this payment was not approved and nothing was paid.",
  wallet_key_missing: 'This browser no longer holds the wallet key, so nothing can be approved and nothing was paid. Pair AgentPay again in its options page.',
  passkey_missing: 'This payment needs your passkey, but none is registered in this browser, so nothing was paid. Add a passkey in the options page, then approve again.',
  passkey_cancelled: 'The passkey check was cancelled, so the payment was not approved and nothing was paid. Approve again to retry.',
};

/** The message of a network failure as browsers word it ("Failed to fetch", "NetworkError when…"): never shown alone. */
function isNetworkFailure(error: unknown): boolean {
  // Only fetch's own failures: any other TypeError is a fault of ours, and says so in its own words.
  return error instanceof TypeError && /failed to fetch|networkerror|load failed|fetch failed|network request failed/i.test(error.message);
}

/**
 * Any failure as the user reads it: one sentence from the table for a code it knows, the extension's
 * own sentence for a checkout it stopped, and for anything else the relay's words followed by what
 * was paid. A network failure ("Failed to fetch") becomes the relay-unreachable sentence, with the
 * browser's words only in brackets.
 */
export function describeFailure(error: unknown, relayUrl?: string): CheckoutError {
  if (isNetworkFailure(error)) {
    const where = relayUrl ? ` (${relayUrl})` : '';
    return { code: 'relay_unreachable', message: FAILURE_SENTENCES.relay_unreachable!.replace("AgentPay's relay", `AgentPay's relay${where}`) };
  }
  if (error instanceof ZodError) {
    return { code: 'invalid_message', message: error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  }
  const given = (error as { code?: unknown })?.code;
  const code = typeof given === 'string' ? given : null;
  const known = code ? FAILURE_SENTENCES[code] : undefined;
  if (code && known) return { code, message: known };
  // A checkout the extension stopped, or any error of its own, says its own sentence.
  if (!(error instanceof ProtocolError)) return { code: code ?? 'internal_error', message: (error as Error)?.message ?? String(error) };
  return { code: error.code, message: `${sentence(error.message)} Nothing was paid.` };
}

/** Capitalised, with a full stop: the relay's messages are lower-case clauses. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.;:,]+$/, '');
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}
