import { ProtocolError } from '@agentpay/protocol';

/**
 * Why pairing failed, as one sentence that says what to do. The relay's own
 * words are kept where it judged the code (wrong, expired, already used, too
 * many tries); what the browser alone knows (no such address, nobody
 * answering) is said here. Pairing never moves money, so no sentence needs to
 * say whether anything was paid.
 */
export function pairingFailure(error: unknown, relayUrl: string): string {
  if (error instanceof BadRelayUrl) return error.message;
  if (error instanceof ProtocolError) {
    if (error.status === 403 || error.status === 409 || error.status === 429) return `${sentence(error.message)} Nothing was paired.`;
    if (error.status === 400) return `The relay refused the details: ${error.message}. Check the wallet name and try again.`;
    return `The relay at ${relayUrl} answered with an error (${error.message}); nothing was paired. Try again, or check the relay's terminal.`;
  }
  if (error instanceof TypeError) {
    return `The relay is not reachable at ${relayUrl}: check that it is running (npm start prints its address) and that the URL is right, then press Pair again.`;
  }
  return `Pairing failed: ${(error as Error)?.message ?? String(error)}. Nothing was paired; try again.`;
}

/** Why a passkey could not be made or registered, for "paired without a passkey". */
export function passkeyFailure(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError') return 'the passkey prompt was cancelled or timed out';
  if (name === 'InvalidStateError') return 'this authenticator already holds a passkey for this wallet';
  if (error instanceof TypeError) return 'the relay could not be reached to register it';
  if (error instanceof ProtocolError) return `the relay refused it (${error.message})`;
  return (error as Error)?.message ?? String(error);
}

/** A relay URL the user typed that is not a web address. */
export class BadRelayUrl extends Error {}

/** The origin of the relay URL the user typed, or BadRelayUrl saying what a right one looks like. */
export function relayOrigin(typed: string): string {
  const url = URL.parse(typed.trim());
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new BadRelayUrl(`"${typed}" is not a relay address: enter one such as http://127.0.0.1:8787, as npm start prints it.`);
  }
  return url.origin;
}

/** The relay's message as a sentence: capital first letter, full stop last. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
