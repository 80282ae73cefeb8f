import { ProtocolError, type RelayHttpClient } from '@agentpay/protocol';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TOOLS } from './tools/index.ts';

/** The server's name and version as MCP clients see them. */
export const SERVER_INFO = { name: 'agentpay-mcp', version: '0.1.0' };

/**
 * An MCP server whose tools act as one agent of the user's wallet, through `relay` (signed with
 * the agent's key). The agent can ask and follow, never approve: approvals are the user's, in
 * their wallet. A failure is a tool error in one sentence (the relay's own words), not a crash.
 */
export function createAgentPayServer(relay: RelayHttpClient): McpServer {
  const server = new McpServer(SERVER_INFO);
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: tool.readOnly, openWorldHint: false } },
      async (args: Record<string, unknown>) => {
        try {
          const answer = await tool.run(relay, args as never);
          return { content: [{ type: 'text' as const, text: answer.text }], structuredContent: answer.data };
        } catch (error) {
          const message = error instanceof ProtocolError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
          return { isError: true, content: [{ type: 'text' as const, text: message }] };
        }
      },
    );
  }
  return server;
}
