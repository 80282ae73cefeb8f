import { parseArgs } from 'node:util';
import { RelayHttpClient } from '@agentpay/protocol';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { agentFilePath, importAgentKey, readAgentFile } from './agent-file.ts';
import { initAgent } from './init.ts';
import { serveHttp } from './http.ts';
import { Deliveries } from './payments/deliver.ts';
import { createAgentPayServer } from './server.ts';

export const HELP = `agentpay-mcp: the AgentPay wallet for MCP clients (Claude Code, Cursor, …)

Usage:
  agentpay-mcp init --relay URL --code CODE [--name NAME] [--agent-file PATH] [--force]
      Enrolls this agent in your wallet. CODE: AI Wallet, Agents, "Make an agent code".
      The agent starts with no mandate: every payment waits for you until you set one.
  agentpay-mcp [--agent-file PATH]
      Serves MCP over stdio as that agent (what an MCP client starts).
  agentpay-mcp --http [--port PORT] [--agent-file PATH]
      Serves MCP over Streamable HTTP on 127.0.0.1 (default port 8790), at /mcp.

Options:
  --agent-file PATH   where the agent's key is kept (default: $AGENTPAY_AGENT_FILE,
                      else ~/.agentpay/mcp-agent.json; written readable by you only)
  --name NAME         how your wallet names the agent (default: "MCP agent")
  --port PORT         --http: the port to listen on (0 picks a free one)
  --force             init: replace an agent file already there (revoke its agent in
                      the AI Wallet if you no longer use it)
  -h, --help          this text
`;

/** Runs a command; returns an exit code, or nothing while it serves. */
export async function main(argv: string[]): Promise<number | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      relay: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, 'agent-file': { type: 'string' }, force: { type: 'boolean' }, http: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const agentFile = agentFilePath(values['agent-file']);
  const [command] = positionals;
  if (command === 'init') {
    if (!values.relay || !values.code) throw new Error('init needs --relay URL and --code CODE (see --help)');
    const agent = await initAgent({ relayUrl: values.relay, code: values.code, name: values.name ?? 'MCP agent', agentFile, replace: values.force });
    process.stdout.write(`Enrolled "${agent.name}" (${agent.agentId}) in your wallet; its key is in ${agentFile}.\nIt has no mandate yet: set one in the AI Wallet, or approve each payment as it comes.\n`);
    return 0;
  }
  if (command !== undefined) throw new Error(`unknown command "${command}" (see --help)`);
  const agent = await readAgentFile(agentFile);
  const relay = new RelayHttpClient(agent.relayUrl, { id: agent.agentId, privateKey: await importAgentKey(agent) });
  if (values.http) {
    const port = Number(values.port ?? 8790);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
    const running = await serveHttp(relay, { port, deliveries: new Deliveries(deliveriesFile(agentFile)) });
    process.stdout.write(`agentpay-mcp: ${agent.name} (${agent.agentId}) serves MCP over Streamable HTTP at ${running.url}\n`);
    return undefined;
  }
  await createAgentPayServer(relay, { deliveries: new Deliveries(deliveriesFile(agentFile)) }).connect(new StdioServerTransport());
  return undefined;
}

/** Where approved payments' merchants are remembered between runs: beside the agent file. */
const deliveriesFile = (agentFile: string) => `${agentFile}.deliveries.json`;
