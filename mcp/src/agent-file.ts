import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON.parse's own message: it quotes the file around the error, which may be the key.
    throw new Error(`${path} is not JSON: run init again`);
  }
  const parsed = AgentFile.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not an agent file this server wrote (${parsed.error.issues[0]?.path.join('.') ?? 'shape'}): run init again`);
  return parsed.data;
}

/** Refuses a path that is a symlink, or that already holds a file unless `replace`. */
export async function ensureWritable(path: string, replace = false): Promise<void> {
  const existing = await lstat(path).catch(() => null);
  if (existing?.isSymbolicLink()) throw new Error(`${path} is a symbolic link: give the agent file's own path`);
  if (existing && !replace) throw new Error(`${path} already holds an agent: pass --force to replace it (the old agent stays in your wallet until you revoke it), or --agent-file for another`);
}

/**
 * Writes a new agent file: never over an existing one unless `replace` (its agent stays enrolled
 * in the wallet, and its key would be lost), never through a symlink, and whole or not at all
 * (a private temporary file, created 0600, renamed into place).
 */
export async function writeAgentFile(path: string, agent: AgentFile, { replace = false } = {}): Promise<void> {
  await ensureWritable(path, replace);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomUUID()}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(agent, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}

/** The agent's signing key, imported for signing only. */
export function importAgentKey(agent: AgentFile): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', agent.privateKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}
