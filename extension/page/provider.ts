import type { AgentClaim } from '../shared/page-messages.ts';
import { askWallet, tellWallet } from './channel.ts';
import { startWatching } from './watch.ts';

/**
 * `window.agentpay`: how an agent (or a shop's page) asks for a payment
 * explicitly, the way `window.ethereum` serves crypto wallets. Asking is all
 * it can do; the answer comes from the user's mandate or the user.
 *
 *   await window.agentpay.identify({ name: 'Shopping agent' });
 *   const { token, card } = await window.agentpay.requestPayment({ amount: { minor: 1890, currency: 'CNY' }, ... });
 */
export function installProvider(): void {
  let agent: AgentClaim | undefined;
  const provider = Object.freeze({
    isAgentPay: true,
    version: 1,
    /** Says which agent drives this page; its payments are made under that agent's mandate. */
    identify(claim: AgentClaim): void {
      agent = { name: String(claim?.name ?? '') };
      startWatching();
      tellWallet({ kind: 'provider.identify', agent });
    },
    /** Resolves with the token (and its card form) once paid; rejects with the reason when not. */
    async requestPayment(request: unknown, options?: { agent?: AgentClaim }) {
      const claim = options?.agent ? { name: String(options.agent.name ?? '') } : agent;
      const payment = await askWallet({ kind: 'provider.request-payment', request: JSON.parse(JSON.stringify(request ?? null)), agent: claim });
      return Object.freeze({ ...payment });
    },
  });
  Object.defineProperty(window, 'agentpay', { value: provider, writable: false, configurable: false, enumerable: false });
}
