import { TaskStage } from '@agentpay/protocol';
import * as z from 'zod';
import { defineTool } from './tool.ts';

export const progressTool = defineTool({
  name: 'report_progress',
  title: 'Tell my user where a task stands',
  description: "Adds a step to a task's timeline in the user's AI Wallet (searching, found, preparing to pay…), so the user can follow what the agent is doing for them. Use one taskId per task, and pass it with the payment it leads to.",
  input: {
    taskId: z.string().min(1).max(64).describe('Your id for the task, the same for all its steps'),
    stage: TaskStage.describe('Where the task is'),
    message: z.string().max(500).optional().describe('One line the user reads'),
  },
  readOnly: false,
  async run({ relay }, { taskId, stage, message }) {
    await relay.post('/v1/progress', { taskId, stage, message });
    return { text: `Reported: ${stage.replaceAll('_', ' ')}${message ? `, "${message}"` : ''}.`, data: { taskId, stage } };
  },
});
