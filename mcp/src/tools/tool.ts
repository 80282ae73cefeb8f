import type { Intent, RelayHttpClient } from '@agentpay/protocol';
import type { Deliveries } from '../payments/deliver.ts';
import type * as z from 'zod';

/** What a tool answers: a line for the model to read, and the same as structured content. */
export interface ToolAnswer {
  text: string;
  data: Record<string, unknown>;
}

/** What a tool acts with: the agent's signed relay client, and the server's view of its client. */
export interface ToolContext {
  relay: RelayHttpClient;
  /** Where approved payments' tokens are to be handed over. */
  deliveries: Deliveries;
  /**
   * Shows the user where to answer a held payment, through URL-mode elicitation when the client
   * supports it; resolves when `signal` ends the wait. Without support, does nothing.
   */
  tellUser(intent: Intent, signal: AbortSignal): Promise<void>;
  /** Called with every state of a payment a tool reads: an answered one closes what `tellUser` showed. */
  seen(intent: Intent): Promise<void>;
}

/**
 * One MCP tool: its name, what a client shows of it, its arguments (validated by the SDK against
 * `input`; a bad one comes back as a tool error naming the field), and what it does with the
 * agent's signed relay client. A tool never answers with a token secret, a card or an approval.
 */
export interface AgentTool<Input extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: Input;
  /** Reads only: MCP clients may call it without asking the user. */
  readOnly: boolean;
  run(context: ToolContext, args: z.infer<z.ZodObject<Input>>): Promise<ToolAnswer>;
}

/** Keeps each tool's argument types while the registry holds them side by side. */
export const defineTool = <Input extends z.ZodRawShape>(tool: AgentTool<Input>): AgentTool<Input> => tool;
