import { AGENTPAY_NETWORK_PREFIX } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';

/**
 * This relay's x402 network id, `agentpay:<16 characters>`. It is derived from the vault key, so
 * it stays the same across restarts and is shared by relays that share a database (they must share
 * the vault key), while two unrelated relays never claim the same network.
 */
export function relayNetwork(ctx: Pick<RelayContext, 'vault'>): string {
  return `${AGENTPAY_NETWORK_PREFIX}${ctx.vault.hash('x402 network id').slice(0, 16)}`;
}
