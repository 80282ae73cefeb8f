import { formatMoney, type Intent, ProtocolError, type RelayHttpClient } from '@agentpay/protocol';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Deliveries } from './payments/deliver.ts';
import { TOOLS } from './tools/index.ts';
import type { ToolContext } from './tools/tool.ts';

/** The server's name and version as MCP clients see them. */
export const SERVER_INFO = { name: 'agentpay-mcp', version: '0.2.0' };

export interface AgentPayServerOptions {
  /** Shared by the sessions of one process, so a payment approved later is still handed over once. */
  deliveries?: Deliveries;
}

/**
 * An MCP server whose tools act as one agent of the user's wallet, through `relay` (signed with
 * the agent's key). The agent can ask and follow, never approve: approvals are the user's, in
 * their wallet. A failure is a tool error in one sentence (the relay's own words), not a crash.
 */
export function createAgentPayServer(relay: RelayHttpClient, options: AgentPayServerOptions = {}): McpServer {
  const server = new McpServer(SERVER_INFO);
  // Elicitations shown for payments still waiting: completed once this server sees the payment answered.
  const open = new Map<string, () => Promise<void>>();
  const context: ToolContext = {
    relay,
    deliveries: options.deliveries ?? new Deliveries(),
    tellUser: (intent, signal) => tellUserInWallet(server, relay, intent, signal, open),
    async seen(intent) {
      const complete = intent.status === 'pending_confirmation' ? undefined : open.get(intent.id);
      if (!complete) return;
      open.delete(intent.id);
      await complete().catch(() => undefined);
    },
  };
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: tool.readOnly, openWorldHint: false } },
      async (args: Record<string, unknown>) => {
        try {
          const answer = await tool.run(context, args as never);
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

/**
 * URL-mode elicitation (MCP 2025-11-25), where the client supports it: the client shows the user
 * the relay's page for the held payment, which tells them to answer in their AgentPay wallet. It is
 * completed (notifications/elicitation/complete) when a tool of this server next sees the payment
 * answered, not when a tool merely stops waiting. The page holds no approval: only the wallet's key can.
 */
async function tellUserInWallet(server: McpServer, relay: RelayHttpClient, intent: Intent, signal: AbortSignal, open: Map<string, () => Promise<void>>): Promise<void> {
  if (!server.server.getClientCapabilities()?.elicitation?.url) return;
  const elicitationId = `agentpay-${intent.id}`;
  open.set(intent.id, server.server.createElicitationCompletionNotifier(elicitationId));
  const shown = server.server.elicitInput({
    mode: 'url',
    elicitationId,
    url: new URL(`/approvals/${intent.id}`, relay.baseUrl).href,
    message: `AgentPay: ${formatMoney(intent.amount)} to ${intent.merchantId} waits for your approval in your AgentPay wallet.`,
  }, { signal }).catch(() => undefined);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await shown;
}
