import type { RelayHttpClient, TaskStage } from '@agentpay/protocol';

/** The task a checkout is reported under, so the AI Wallet shows it live. */
export const taskIdOf = (checkoutId: string): string => `checkout-${checkoutId}`.slice(0, 64);

/**
 * Reports a checkout's step to the relay as the agent's task progress. Best
 * effort: a progress line that does not arrive must never stop a payment.
 */
export async function reportProgress(agent: RelayHttpClient, checkoutId: string, stage: TaskStage, message: string, intentId?: string, at = new Date()): Promise<void> {
  await agent
    .post('/v1/progress', { taskId: taskIdOf(checkoutId), stage, message: message.slice(0, 500), at: at.toISOString(), ...(intentId ? { intentId } : {}) }, { idempotencyKey: `progress-${checkoutId}-${stage}` })
    .catch(() => undefined);
}
