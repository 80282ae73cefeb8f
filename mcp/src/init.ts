import { type Actor, AgentEnrollment, generateSigningKey, RelayHttpClient } from '@agentpay/protocol';
import { AgentFile, ensureWritable, writeAgentFile } from './agent-file.ts';

export interface InitOptions {
  relayUrl: string;
  /** The agent code the user made in the AI Wallet (Agents, "Make an agent code"). */
  code: string;
  /** How the wallet will name this agent. */
  name: string;
  agentFile: string;
  /** Replace an agent file already there (its agent stays enrolled until the user revokes it). */
  replace?: boolean;
}

/**
 * Enrolls a new agent in the user's wallet with the code the user made there: a fresh key, made
 * here and never sent anywhere, whose public half the relay registers. The agent starts with no
 * mandate, so every payment it asks for waits for the user until they set one.
 */
export async function initAgent(options: InitOptions): Promise<AgentFile> {
  // Refused before the single-use code is spent: a file in the way (or a symlink) is the user's to move.
  await ensureWritable(options.agentFile, options.replace);
  const key = await generateSigningKey({ extractable: true });
  const enrollment = AgentEnrollment.parse({ code: options.code, name: options.name, publicKey: key.publicJwk });
  const anonymous = new RelayHttpClient(options.relayUrl, undefined);
  // Signed by the new key itself ("self"): the relay checks the enrolling agent holds it.
  const actor = await anonymous.as({ id: 'self', privateKey: key.privateKey }).post<Actor>('/v1/agents/enroll', enrollment);
  const privateKey = await crypto.subtle.exportKey('jwk', key.privateKey);
  const agent: AgentFile = { relayUrl: options.relayUrl, agentId: actor.id, name: actor.name, walletId: actor.walletId, privateKey: AgentFile.shape.privateKey.parse(privateKey) };
  await writeAgentFile(options.agentFile, agent, { replace: options.replace });
  return agent;
}
