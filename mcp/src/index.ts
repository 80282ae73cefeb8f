export { createAgentPayServer, SERVER_INFO } from './server.ts';
export { initAgent } from './init.ts';
export { AgentFile, agentFilePath, readAgentFile } from './agent-file.ts';
