import { creditsTool } from './credits.ts';
import { topUpTool } from './top-up.ts';
import { cancelPaymentTool, paymentStateTool } from './payments.ts';
import { progressTool } from './progress.ts';
import { payResourceTool } from './pay-resource.ts';
import { purchasesTool } from './purchases.ts';
import { refundTool } from './refund.ts';
import { requestPaymentTool } from './request-payment.ts';
import { spendingPowerTool } from './spending-power.ts';
import type { AgentTool } from './tool.ts';

/** Every tool the server offers, in the order a client lists them. */
export const TOOLS: AgentTool[] = [spendingPowerTool, requestPaymentTool, payResourceTool, paymentStateTool, purchasesTool, cancelPaymentTool, refundTool, creditsTool, topUpTool, progressTool] as AgentTool[];
