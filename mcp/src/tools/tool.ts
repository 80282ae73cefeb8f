import type { RelayHttpClient } from '@agentpay/protocol';
import type * as z from 'zod';

/** What a tool answers: a line for the model to read, and the same as structured content. */
export interface ToolAnswer {
  text: string;
  data: Record<string, unknown>;
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
  run(relay: RelayHttpClient, args: z.infer<z.ZodObject<Input>>): Promise<ToolAnswer>;
}

/** Keeps each tool's argument types while the registry holds them side by side. */
export const defineTool = <Input extends z.ZodRawShape>(tool: AgentTool<Input>): AgentTool<Input> => tool;
