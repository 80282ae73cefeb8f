import * as z from 'zod';
import { SignatureRequest, signForAgent } from '../../agent-signatures/sign.ts';
import { route } from '../route.ts';

export const agentSignatureRoutes = [
  route({
    method: 'POST', path: '/v1/agents/me/request-signatures', tag: 'agents and devices', auth: ['agent', 'device'],
    body: SignatureRequest, response: z.object({ headers: z.record(z.string(), z.string()) }),
    summary: 'Web Bot Auth: the Signature-Input, Signature and Signature-Agent headers for one request to a merchant, signed by the key in this relay\'s signature directory (valid 60 s)',
    read: ({ ctx, body, url }) => signForAgent(ctx, ctx.config.publicUrl ?? url.origin, body),
  }),
];
