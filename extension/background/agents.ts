import { type Actor, generateSigningKey } from '@agentpay/protocol';
import { keyNames, saveKey } from '../shared/keys.ts';
import { walletClient } from '../shared/relay.ts';
import { read, update } from '../shared/state.ts';
import { CheckoutFailure } from './failure.ts';

/** Who pays when a page under automation checks out without naming its agent. */
export const AUTOMATION_AGENT = 'Browser automation';
/** Who pays when the user opted in to holding their own checkouts. */
export { SELF_AGENT } from '../shared/self-agent.ts';

/** How many agents one site may name through window.agentpay, so a page cannot flood the wallet. */
export const MAX_AGENTS_PER_SITE = 5;

/**
 * The agent a page names through window.agentpay, kept apart per site: the
 * name is only the page's claim, so "Shopping bot" on one site is never the
 * "Shopping bot" the user gave a budget to elsewhere, nor any agent of the
 * user's own. It starts without a mandate, so each payment asks the user.
 */
export function claimedAgentName(name: string, origin: string): string {
  return `${name} (${new URL(origin).host})`;
}

/** The actor id of a page-named agent (its full name from claimedAgentName), registering at most a few per site. */
export async function claimedAgentFor(full: string, origin: string): Promise<string> {
  const known = await read('agents');
  const suffix = ` (${new URL(origin).host})`;
  if (!known[full] && Object.keys(known).filter((n) => n.endsWith(suffix)).length >= MAX_AGENTS_PER_SITE) {
    throw new CheckoutFailure('too_many_agents', `${new URL(origin).host} has already named ${MAX_AGENTS_PER_SITE} agents; AgentPay will not register more for it`);
  }
  return agentFor(full);
}

const registering = new Map<string, Promise<string>>();

/**
 * The actor id of the browser agent called `name`, registering it with the
 * relay (and making its key here) the first time. A new agent has no mandate,
 * so every payment it makes asks the user until they give it one.
 */
export function agentFor(name: string): Promise<string> {
  let pending = registering.get(name);
  if (!pending) {
    pending = register(name).finally(() => registering.delete(name));
    registering.set(name, pending);
  }
  return pending;
}

async function register(name: string): Promise<string> {
  const known = (await read('agents'))[name];
  if (known) return known.actorId;
  const { privateKey, publicJwk } = await generateSigningKey({ extractable: false });
  const wallet = await walletClient();
  const actor = await wallet.post<Actor>('/v1/wallet/actors', { kind: 'agent', name, publicKey: publicJwk });
  await saveKey(keyNames.agent(actor.id), privateKey);
  await update('agents', (agents) => ({ ...agents, [name]: { actorId: actor.id } }));
  return actor.id;
}
