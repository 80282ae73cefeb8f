import { cancelPaymentTool, paymentStateTool } from './payments.ts';
import { progressTool } from './progress.ts';
import { purchasesTool } from './purchases.ts';
import { spendingPowerTool } from './spending-power.ts';
import type { AgentTool } from './tool.ts';

/** Every tool the server offers, in the order a client lists them. */
export const TOOLS: AgentTool[] = [spendingPowerTool, paymentStateTool, purchasesTool, cancelPaymentTool, progressTool] as AgentTool[];
