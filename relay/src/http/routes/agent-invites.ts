import { Actor, AgentEnrollment, AgentInvite } from '@agentpay/protocol';
import * as z from 'zod';
import { enrollAgent, makeAgentInvite } from '../../wallet/agent-invites.ts';
import { route } from '../route.ts';

/** "Connect an agent": the wallet makes a single-use code, an agent running elsewhere redeems it with its key. */
export const agentInviteRoutes = [
  route({
    method: 'POST', path: '/v1/wallet/agent-invites', tag: 'wallet', auth: ['wallet'], status: 201, body: z.object({}).strict(), response: AgentInvite,
    summary: 'A single-use agent code, valid 10 minutes: an agent that presents it (POST /v1/agents/enroll) joins this wallet, with no mandate',
    command: ({ ctx, tx, principal }) => makeAgentInvite(tx, principal.id, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/agents/enroll', tag: 'agents and devices', auth: 'self', status: 201, body: AgentEnrollment, response: Actor,
    summary: "Join the wallet that made this agent code, signed by the agent's own key; wrong codes are throttled with 429. No mandate: the user confirms each payment",
    command: ({ ctx, tx, outbox, body, source }) => enrollAgent(ctx, tx, outbox, body, source),
  }),
];
