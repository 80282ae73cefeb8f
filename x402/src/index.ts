export { AgentPayScheme, agentpayX402Client, PaymentNotApproved, type AgentPayClientOptions } from './client.ts';
export { AgentPayServerScheme, agentpayResourceServer, type AgentPayResourceServerOptions } from './server.ts';
export { x402Payments } from './hono.ts';
