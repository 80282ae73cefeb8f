#!/usr/bin/env node
// Runs the simulator's TypeScript through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sim/main.ts');
try {
  process.exit(await main(process.argv.slice(2), process.env));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
