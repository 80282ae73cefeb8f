import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as z from 'zod';

/**
 * What `agentpay-mcp init` keeps of the agent it enrolled: the relay, the agent's id in the
 * user's wallet and its private signing key (ES256, as a JWK). Whoever can read this file can
 * ask to pay as the agent, within its mandate only: it is written for the owner alone (0600).
 */
export const AgentFile = z.object({
  relayUrl: z.url({ protocol: /^https?$/ }),
  agentId: z.string().min(1),
  name: z.string().min(1),
  walletId: z.string().min(1),
  privateKey: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), d: z.string() }).loose(),
});
export type AgentFile = z.infer<typeof AgentFile>;

/** Where the agent file is: `--agent-file`, else `AGENTPAY_AGENT_FILE`, else `~/.agentpay/mcp-agent.json`. */
export function agentFilePath(given?: string): string {
  return given ?? process.env.AGENTPAY_AGENT_FILE ?? join(homedir(), '.agentpay', 'mcp-agent.json');
}

export async function readAgentFile(path: string): Promise<AgentFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`no agent at ${path}: run \`npx agentpay-mcp init --relay URL --code CODE\` first (CODE: AI Wallet, Agents, "Make an agent code")`);
  }
  const parsed = AgentFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not an agent file this server wrote (${parsed.error.issues[0]?.path.join('.') ?? 'shape'}): run init again`);
  return parsed.data;
}

export async function writeAgentFile(path: string, agent: AgentFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(agent, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode through writeFile
}

/** The agent's signing key, imported for signing only. */
export function importAgentKey(agent: AgentFile): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', agent.privateKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}
