import {
  type Actor, type ConfirmationRequest, type Intent, type Mandate, type Money, type TaskStage, type Wallet,
  formatMoney, generateSigningKey, newId, ProtocolError, RelayHttpClient, signCanonical,
} from '@agentpay/protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runConnectedAgent } from './connected-agent.ts';
import { demoDataDir } from './paths.ts';
import { type Catalog, ShopClient } from './shop/client.ts';
import { ShopError } from './shop/errors.ts';
import type { Order } from './shop/orders.ts';

export const AGENT_NAME = 'Demo shopping agent';
/** The user's monthly allowance for the agent: the first purchase fits, the second does not. */
const BUDGET: Money = { minor: 500_00, currency: 'CNY' };

export interface DemoAgentOptions {
  relayUrl: string;
  shopUrl: string;
  pairingCode: string;
  log?: (line: string) => void;
}

/** A wallet record as GET /v1/wallet/records returns it. */
export type WalletRecord = Intent & {
  boughtBy: { id: string; name: string; kind: string };
  merchantName: string;
  charge: { id: string; amount: Money; refundedMinor: number } | null;
};

export interface DemoPayment {
  order: Order;
  intent: Intent;
  /** `automatic`: within the mandate; `confirmed`: held until the user signed. */
  approval: 'automatic' | 'confirmed';
}

export interface DemoAgentResult {
  walletId: string;
  agentId: string;
  merchantId: string;
  payments: DemoPayment[];
  records: WalletRecord[];
}

/** The relay or the shop does not answer: nothing to walk through. */
export class DemoNotRunning extends Error {}

/** Throws DemoNotRunning unless both the relay and the shop answer. */
export async function checkDemoRunning(options: { relayUrl: string; shopUrl: string }): Promise<void> {
  for (const [what, url] of [['the relay', new URL('/v1/health', options.relayUrl)], ['the demo shop', new URL('/api/products', options.shopUrl)]] as const) {
    const up = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then((r) => r.ok, () => false);
    if (!up) throw new DemoNotRunning(`${what} is not running at ${url.origin}: start it with npm start`);
  }
}

/**
 * One agent, end to end: the user pairs a wallet, registers the agent and
 * gives it a monthly budget; the agent buys tea within it (approved at once)
 * and then a set of teapots beyond it (held until the user signs).
 */
export async function runDemoAgent(options: DemoAgentOptions): Promise<DemoAgentResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  let stepNo = 0;
  const step = (title: string) => log(`\n${++stepNo}. ${title}`);
  const note = (text: string) => log(`   ${text}`);

  await checkDemoRunning(options);
  const shop = new ShopClient(options.shopUrl);
  const catalog = await shop.catalog();
  const anonymous = new RelayHttpClient(options.relayUrl, undefined);
  log(`Demo agent: relay ${options.relayUrl}, shop ${catalog.merchant.name} at ${options.shopUrl} (merchant ${catalog.merchant.id})`);

  step('The user pairs a wallet with the relay (with the pairing code)');
  const walletKey = await generateSigningKey();
  const walletRecord = await anonymous
    .as({ id: 'self', privateKey: walletKey.privateKey })
    .post<Wallet>('/v1/wallets', { name: 'Demo user', publicKey: walletKey.publicJwk, pairingCode: options.pairingCode });
  const walletSigner = { id: walletRecord.id, privateKey: walletKey.privateKey };
  const wallet = anonymous.as(walletSigner);
  note(`wallet ${walletRecord.id}`);

  step('The wallet registers the agent by its public key');
  const agentKey = await generateSigningKey();
  const actor = await wallet.post<Actor>('/v1/wallet/actors', { kind: 'agent', name: AGENT_NAME, publicKey: agentKey.publicJwk });
  const agent = anonymous.as({ id: actor.id, privateKey: agentKey.privateKey });
  note(`agent ${actor.id} "${actor.name}"`);

  step(`The wallet signs a quota mandate: ${formatMoney(BUDGET)} per month, naming ${catalog.merchant.name}`);
  // Naming the shop tells the risk checks it is not a stranger, so the first purchase is not held as "new merchant".
  const document = {
    v: 1, walletId: walletRecord.id, actorId: actor.id, issuedAt: new Date().toISOString(),
    kind: 'quota', budget: BUDGET, period: 'month', merchants: [catalog.merchant.id],
  };
  const mandate = await wallet.put<Mandate>(`/v1/wallet/actors/${actor.id}/mandate`, { jws: await signCanonical(document, walletKey.privateKey, walletRecord.id) });
  note(`mandate ${mandate.id}`);

  const buy = async (goal: string, productId: string, quantity: number): Promise<DemoPayment> => {
    step(`The agent's task: ${goal}`);
    const taskId = newId('task');
    const progress = (stage: TaskStage, message: string) => {
      note(`progress  ${stage.padEnd(22)}${message}`);
      return agent.post('/v1/progress', { taskId, stage, message });
    };
    await progress('searching', `looking through ${catalog.merchant.name}`);
    const product = findProduct(catalog, productId);
    await progress('found', `${product.name}, ${formatMoney({ minor: product.unitMinor, currency: catalog.currency })} each`);

    const order = await shop.createOrder([{ productId, quantity }]);
    note(`order     ${order.orderId}: ${order.lineItems.map((l) => `${l.quantity} × ${l.name}`).join(', ')} = ${formatMoney(order.amount)}`);
    await progress('preparing_to_pay', `asking the relay to pay ${formatMoney(order.amount)}`);

    // The intent is built from the order as the shop priced it: merchant, amount and line items.
    let intent = await agent.post<Intent>('/v1/intents', {
      merchantId: order.merchantId, amount: order.amount, lineItems: order.lineItems, category: order.category,
      channel: 'api', description: goal, taskId, createdAt: new Date().toISOString(),
    });
    note(`intent    ${intent.id} ${intent.status}: ${intent.decision.reasons.map((r) => r.message).join('; ')}`);
    const approval = intent.status === 'pending_confirmation' ? 'confirmed' : 'automatic';
    if (intent.status === 'pending_confirmation') {
      await progress('awaiting_confirmation', "waiting for the user's answer");
      note(`agent     long-polls GET /v1/intents/${intent.id}?waitSeconds=10`);
      const stopWaiting = new AbortController();
      const answered = waitForAnswer(agent, intent.id, stopWaiting.signal);
      try {
        await approveAsUser(wallet, walletSigner, intent.id, note);
      } catch (error) {
        // The wallet step failed: stop the agent's poll and report the wallet's error.
        stopWaiting.abort();
        await answered.catch(() => undefined);
        throw error;
      }
      intent = await answered;
      note(`agent     the answer arrived: ${intent.status}`);
    }
    if (intent.status !== 'approved' || !intent.token) throw new Error(`intent ${intent.id} ended ${intent.status}; nothing was paid`);
    note(`token     ${intent.token.id}, up to ${formatMoney({ minor: intent.token.maxMinor, currency: intent.token.currency })}, until ${intent.token.expiresAt}`);

    const paid = await shop.pay(order.orderId, intent.token.secret);
    note(`shop      charged ${paid.chargeId} through the relay; order ${paid.orderId} is ${paid.status}`);
    const { records } = await wallet.get<{ records: WalletRecord[] }>(`/v1/wallet/records?actorId=${actor.id}&limit=10`);
    const record = records.find((r) => r.id === intent.id);
    if (record) note(`wallet    record: ${describeRecord(record)}`);
    return { order: paid, intent, approval };
  };

  const payments = [await buy('buy green tea for the week', 'longjing', 2)];
  const actorNow = await wallet.get<{ mandate: Mandate | null }>(`/v1/wallet/actors/${actor.id}`);
  const spent = actorNow.mandate?.spent ?? { minor: 0, currency: BUDGET.currency };
  note(`budget    ${formatMoney(spent)} of ${formatMoney(BUDGET)} spent this month`);
  payments.push(await buy('buy teapots for the tea club', 'teapot', 3));

  step("The user's wallet: everything bought by AI, labelled with who bought it");
  const { records } = await wallet.get<{ records: WalletRecord[] }>(`/v1/wallet/records?actorId=${actor.id}`);
  for (const record of records) note(describeRecord(record));
  log('\nDone: two payments, one within the budget and one the user confirmed.');
  return { walletId: walletRecord.id, agentId: actor.id, merchantId: catalog.merchant.id, payments, records };
}

/** The agent long-polls its held intent until the user has answered (or it expires). */
async function waitForAnswer(agent: RelayHttpClient, intentId: string, signal: AbortSignal): Promise<Intent> {
  for (;;) {
    const intent = await agent.get<Intent>(`/v1/intents/${intentId}?waitSeconds=10`, { signal });
    if (intent.status !== 'pending_confirmation') return intent;
  }
}

/** Acting as the user's wallet: read the confirmation request and sign an approval over exactly what it shows. */
async function approveAsUser(wallet: RelayHttpClient, signer: { id: string; privateKey: CryptoKey }, intentId: string, note: (text: string) => void) {
  const { confirmations } = await wallet.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
  const request = confirmations.find((c) => c.intentId === intentId);
  if (!request) throw new Error(`the wallet was not asked to confirm intent ${intentId}`);
  note(`wallet    asks the user: ${request.actorName} wants to pay ${formatMoney(request.claims.amount)} at ${request.merchant.name} (${request.reasons.map((r) => r.message).join('; ')})`);
  const jws = await signCanonical({ ...request.claims, decision: 'approve' }, signer.privateKey, signer.id);
  await wallet.post<Intent>(`/v1/intents/${intentId}/confirmation`, { jws });
  note('wallet    the user approves; the wallet signs the approval');
}

function describeRecord(record: WalletRecord): string {
  const charged = record.charge ? `charged ${formatMoney(record.charge.amount)} (${record.charge.id})` : 'not charged';
  return `${record.merchantName}: ${formatMoney(record.amount)}, bought by ${record.boughtBy.name}, ${charged}`;
}

function findProduct(catalog: Catalog, productId: string) {
  const product = catalog.products.find((p) => p.id === productId);
  if (!product) throw new Error(`the shop does not sell "${productId}"`);
  return product;
}

const HELP = `npm run demo:agent: an AI agent buying at the demo shop through the relay, each step printed

Usage:
  npm run demo:agent                            pair a demo wallet of its own, give the agent a budget, buy twice
  npm run demo:agent -- --agent-code CODE       join YOUR wallet with an agent code and buy tea: you approve it
                                                in the AgentPay confirmation window, and it shows in your AI Wallet
  npm run demo:agent -- --help                  this help

Make the agent code in the AI Wallet: Agents, "Connect an agent" (single use, valid 10 minutes).

Environment:
  RELAY_URL      the relay (default: http://127.0.0.1:8787, as npm start runs it)
  SHOP_URL       the demo shop (default: http://127.0.0.1:8788)
  PAIRING_CODE   without --agent-code: the relay's pairing code (default: read from DATA_DIR, or .data)
  DATA_DIR       the relay's data folder, when npm start was given one
`;

/** `npm run demo:agent`: against a running `npm start`. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let args: { agentCode?: string; help: boolean };
  try {
    const { values } = parseArgs({ args: argv, options: { 'agent-code': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    args = { agentCode: values['agent-code'], help: values.help === true };
  } catch (error) {
    process.stderr.write(`demo agent: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const relayUrl = env.RELAY_URL ?? 'http://127.0.0.1:8787';
  const shopUrl = env.SHOP_URL ?? 'http://127.0.0.1:8788';
  try {
    await checkDemoRunning({ relayUrl, shopUrl });
    if (args.agentCode) await runConnectedAgent({ relayUrl, shopUrl, agentCode: args.agentCode });
    else await runDemoAgent({ relayUrl, shopUrl, pairingCode: env.PAIRING_CODE ?? readPairingCode(demoDataDir(env)) });
    return 0;
  } catch (error) {
    if (error instanceof ProtocolError || error instanceof ShopError) process.stderr.write(`\nrefused: ${error.code}: ${error.message}\n`);
    else process.stderr.write(`\ndemo agent: ${(error as Error).message}\n`);
    return 1;
  }
}

export function readPairingCode(dataDir: string): string {
  const path = join(dataDir, 'pairing-code');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new Error(`no pairing code in ${path}: give the same DATA_DIR as npm start, or set PAIRING_CODE to the code it printed`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
