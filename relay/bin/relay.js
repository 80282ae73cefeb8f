#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the relay needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  // A refusal to start (a locked data folder, an unreachable database) is a sentence for the user, not a stack.
  process.stderr.write(`relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
