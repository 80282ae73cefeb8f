#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the server needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
try {
  const code = await main(process.argv.slice(2));
  if (code !== undefined) process.exit(code);
} catch (error) {
  // stdout belongs to the MCP client: what went wrong goes to stderr, as one sentence.
  process.stderr.write(`agentpay-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
