export { agentpayFetch, AgentPayScheme, agentpayX402Client, PaymentNotApproved, x402ClientFor, type AgentPayClientOptions } from './client.ts';
export { AgentPayServerScheme, AgentPayUptoServerScheme, agentpayResourceServer, type AgentPayResourceServerOptions } from './server.ts';
export { requestContext, respond, setSettlementOverrides, x402Payments } from './hono.ts';
