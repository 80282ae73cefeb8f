export { createAgentPayServer, SERVER_INFO } from './server.ts';
export { initAgent } from './init.ts';
export { AgentFile, agentFilePath, importAgentKey, readAgentFile } from './agent-file.ts';
