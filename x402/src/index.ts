export { agentpayFetch, AgentPayScheme, agentpayX402Client, PaymentNotApproved, x402ClientFor, type AgentPayClientOptions } from './client.ts';
export { AgentPayServerScheme, agentpayResourceServer, type AgentPayResourceServerOptions } from './server.ts';
export { requestContext, respond, x402Payments } from './hono.ts';
