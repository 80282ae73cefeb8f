import { type Actor, generateSigningKey } from '@agentpay/protocol';
import { keyNames, saveKey } from '../shared/keys.ts';
import { walletClient } from '../shared/relay.ts';
import { read, update } from '../shared/state.ts';

/** Who pays when a page under automation checks out without naming its agent. */
export const AUTOMATION_AGENT = 'Browser automation';
/** Who pays when the user opted in to holding their own checkouts. */
export const SELF_AGENT = 'You, in this browser';

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
