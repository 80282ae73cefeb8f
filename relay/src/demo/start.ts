import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { configFromEnv, envName, RelayConfig } from '../config.ts';
import { pairingLine, printNewPairingCodes } from '../identity/pairing.ts';
import { startRelay } from '../relay.ts';
import { demoDataDir } from './paths.ts';
import { startDemoShop } from './shop.ts';
import { payPerRequest } from './model-api/pay-per-request.ts';
import { startDemoModelApi } from './model-api/start.ts';

const DEFAULT_RELAY_URL = 'http://127.0.0.1:8787';
const DEFAULT_SHOP_URL = 'http://127.0.0.1:8788';
const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:18830';

/** `npm start`: the relay on its embedded defaults plus the demo shop and the demo model vendor, until Ctrl+C. */
export async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const dataDir = demoDataDir(env);
  const parsed = RelayConfig.safeParse({ ...configFromEnv(env), dataDir });
  const shopPort = Number(env.SHOP_PORT || 8788);
  const modelPort = Number(env.MODEL_API_PORT || 8789);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${envName(String(i.path[0]))}: ${i.message}`);
    process.stderr.write(`invalid configuration:\n${problems.join('\n')}\n`);
    return 2;
  }
  for (const [name, port] of [['SHOP_PORT', shopPort], ['MODEL_API_PORT', modelPort]] as const) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`invalid configuration:\n  ${name}: "${env[name]}" is not a port number\n`);
      return 2;
    }
  }
  const config = parsed.data;

  // Before the store opens: a second `npm start` must not touch the data folder the first one is using.
  const ports = [config.httpPort, shopPort, modelPort, ...(config.mqttUrl ? [] : [config.mqttPort, config.mqttWsPort])];
  await Promise.all(ports.filter((port) => port !== 0).map((port) => ensurePortFree(config.host, port)));
  const relay = await startRelay(config).catch(explainPortInUse);
  const shop = await startDemoShop({ relayUrl: relay.httpUrl, port: shopPort, dataDir, host: config.host }).catch(async (error: unknown) => {
    await relay.close();
    return explainPortInUse(error);
  });
  const modelApi = await startDemoModelApi({ relayUrl: relay.httpUrl, port: modelPort, dataDir, host: config.host, payPerRequest: payPerRequest(relay.httpUrl) })
    .catch(async (error: unknown) => {
      await shop.close();
      await relay.close();
      return explainPortInUse(error);
    });

  // What demo:agent needs to find this relay when it is not on the defaults.
  const agentEnv = [
    relay.httpUrl !== DEFAULT_RELAY_URL && `RELAY_URL=${relay.httpUrl}`,
    shop.url !== DEFAULT_SHOP_URL && `SHOP_URL=${shop.url}`,
    env.PAIRING_CODE ? `PAIRING_CODE=${relay.ctx.pairingCode}` : env.DATA_DIR && `DATA_DIR=${dataDir}`,
  ].filter(Boolean);
  const deviceEnv = [
    relay.httpUrl !== DEFAULT_RELAY_URL && `RELAY_URL=${relay.httpUrl}`,
    relay.mqttUrl !== DEFAULT_MQTT_URL && `DEVICE_MQTT_URL=${relay.mqttUrl}`,
    env.PAIRING_CODE ? `PAIRING_CODE=${relay.ctx.pairingCode}` : env.DATA_DIR && `DATA_DIR=${dataDir}`,
  ].filter(Boolean);
  process.stdout.write(
    [
      `relay      ${relay.httpUrl}`,
      `openapi    ${relay.httpUrl}/v1/openapi.json`,
      `mqtt       ${relay.mqttUrl}${relay.mqttWsUrl ? `  (WebSocket: ${relay.mqttWsUrl})` : ''}`,
      `shop       ${shop.url}  (Demo Tea Shop, merchant ${shop.merchant.id})`,
      `store      ${relay.ctx.db.engine}${config.databaseUrl ? '' : ` in ${dataDir}`}`,
      pairingLine(relay.ctx.pairing),
      '',
      `next: ${[...agentEnv, 'npm run demo:agent'].join(' ')}   (in another terminal; Ctrl+C stops the relay and the shop)`,
      `      or, to buy for the wallet you paired: ${[...agentEnv.filter((v) => v && !String(v).startsWith('PAIRING_CODE') && !String(v).startsWith('DATA_DIR')), 'npm run demo:agent -- --agent-code CODE'].join(' ')}   (CODE: AI Wallet, Agents, Connect an agent)`,
      // The simulator logs devices in with signed passwords, which only the embedded broker checks.
      ...(config.mqttUrl ? [] : [`devices: ${[...deviceEnv, 'npm run device-sim'].join(' ')}   (a car at a gate, a driver and earphones paying by voice)`]),
      `mcp:  npx agentpay-mcp init --relay ${relay.httpUrl} --code CODE   (CODE: AI Wallet, Agents, Connect an agent; then your MCP client starts mcp/bin/agentpay-mcp.js)`,
      `x402: ${shop.url}/api/tea-guide   (a paid resource, x402 v2: what agentpay-mcp's pay_http_resource and @agentpay/x402 pay)`,
      `models     ${modelApi.url}  (Demo Model Co., vendor ${modelApi.vendor.id}: a chat-completion API billed with Token Pay)`,
      `tokens: ${[...agentEnv.filter((v) => v && !String(v).startsWith('SHOP_URL')), ...(modelApi.url !== 'http://127.0.0.1:8789' ? [`MODEL_API_URL=${modelApi.url}`] : []), 'npm run demo:tokens'].join(' ')}   (credits, fifty metered requests, an automatic top-up, one x402 upto call)`,
      '',
    ].join('\n'),
  );
  printNewPairingCodes(relay.ctx.pairing, (text) => process.stdout.write(text));

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('stopping...\n');
  await modelApi.close();
  await shop.close();
  await relay.close();
  return 0;
}

function ensurePortFree(host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  }).catch(explainPortInUse);
}

/** A port already taken usually means another `npm start` is running. */
function explainPortInUse(error: unknown): never {
  const { code, port } = error as { code?: string; port?: number };
  if (code === 'EADDRINUSE') {
    throw new Error(`port ${port} is already in use (is npm start already running?); set HTTP_PORT, SHOP_PORT, MODEL_API_PORT, MQTT_PORT or MQTT_WS_PORT to use others`);
  }
  throw error;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`npm start: ${error.message}\n`);
      process.exit(1);
    },
  );
}
