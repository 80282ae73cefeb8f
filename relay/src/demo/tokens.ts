import {
  type Actor, type Money, type TopUp, type UsageStatement, type Wallet, type WalletCredits,
  formatMoney, generateSigningKey, ProtocolError, RelayHttpClient, signCanonical,
} from '@agentpay/protocol';
import { agentpayFetch } from '@agentpay/x402';
import { pathToFileURL } from 'node:url';
import { readPairingCode } from './agent.ts';
import { PAY_PER_REQUEST_MAXIMUM, PAY_PER_REQUEST_PATH } from './model-api/pay-per-request.ts';
import { MODEL_KEY_FILE } from './model-api/start.ts';
import { loadMerchantKey } from './shop/merchant.ts';
import { demoDataDir } from './paths.ts';

const CNY = (minor: number): Money => ({ minor, currency: 'CNY' });
/** The agent's monthly budget at the vendor: the first top-up and the automatic one fit in it. */
const BUDGET = CNY(50_00);
const FIRST_TOP_UP = CNY(10_00);
const THRESHOLD = CNY(5_00);
const AUTO_AMOUNT = CNY(10_00);
const REQUESTS = 50;

export interface TokenDemoOptions {
  relayUrl: string;
  /** The demo model vendor, e.g. http://127.0.0.1:8789 */
  modelUrl: string;
  pairingCode: string;
  /** Where `npm start` keeps the demo vendor's key: the statement is read signed as the vendor. */
  dataDir: string;
  log?: (line: string) => void;
}

export interface TokenDemoResult {
  walletId: string;
  agentId: string;
  accountId: string;
  topUps: TopUp[];
  requests: number;
  payPerRequest: { status: number; charged: Money | null };
  statement: UsageStatement;
  credits: WalletCredits['credits'][number];
}

/**
 * Token Pay, end to end: a wallet gives a coding agent a budget at a model vendor; the agent buys
 * credits within it, makes fifty metered requests that cross the user's auto top-up threshold (the
 * relay buys more, under the same mandate), pays one request by itself with x402 `upto`, and the
 * vendor reads its statement.
 */
export async function runTokenDemo(options: TokenDemoOptions): Promise<TokenDemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  let stepNo = 0;
  const step = (title: string) => log(`\n${++stepNo}. ${title}`);
  const note = (text: string) => log(`   ${text}`);

    const began = new Date();
  const anonymous = new RelayHttpClient(options.relayUrl, undefined);
  // The vendor is the merchant that proved the model API's origin to the relay.
  const origin = new URL(options.modelUrl).origin;
  const [vendor] = (await anonymous.get<{ merchants: { id: string; name: string }[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`)).merchants;
  if (!vendor) throw new Error(`no vendor at the relay ${options.relayUrl} proved ${origin}`);
  log(`Token Pay demo: relay ${options.relayUrl}, ${vendor.name} at ${options.modelUrl} (vendor ${vendor.id})`);

  step('The user pairs a wallet and registers a coding agent');
  const walletKey = await generateSigningKey();
  const walletRecord = await anonymous.as({ id: 'self', privateKey: walletKey.privateKey })
    .post<Wallet>('/v1/wallets', { name: 'Token Pay demo user', publicKey: walletKey.publicJwk, pairingCode: options.pairingCode });
  const wallet = anonymous.as({ id: walletRecord.id, privateKey: walletKey.privateKey });
  const agentKey = await generateSigningKey();
  const actor = await wallet.post<Actor>('/v1/wallet/actors', { kind: 'agent', name: 'Demo coding agent', publicKey: agentKey.publicJwk });
  const agent = anonymous.as({ id: actor.id, privateKey: agentKey.privateKey });
  const mandate = { v: 1, walletId: walletRecord.id, actorId: actor.id, issuedAt: new Date().toISOString(), kind: 'quota', budget: BUDGET, period: 'month', merchants: [vendor.id] };
  await wallet.put(`/v1/wallet/actors/${actor.id}/mandate`, { jws: await signCanonical(mandate, walletKey.privateKey, walletRecord.id) });
  note(`wallet ${walletRecord.id}, agent ${actor.id}: ${formatMoney(BUDGET)} a month at ${vendor.name}`);

  step(`The agent tops up ${formatMoney(FIRST_TOP_UP)} of credits, within its mandate`);
  const first = await agent.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.id, amount: FIRST_TOP_UP });
  note(`top-up ${first.id}: ${first.status}${first.reason ? ` (${first.reason})` : ''}`);
  if (first.status !== 'paid') throw new Error(`the first top-up was ${first.status}, not paid`);
  const accountId = first.accountId;

  step(`The user lets the agent keep the balance above ${formatMoney(THRESHOLD)}, buying ${formatMoney(AUTO_AMOUNT)} at a time`);
  await wallet.put(`/v1/wallet/credits/${accountId}/auto-top-up`, { autoTopUp: { agentId: actor.id, threshold: THRESHOLD, amount: AUTO_AMOUNT } });

  step(`The agent makes ${REQUESTS} chat-completion requests, each reserved, then settled by the tokens used`);
  let balance: Money = FIRST_TOP_UP;
  for (let i = 1; i <= REQUESTS; i++) {
    const model = i % 5 === 0 ? 'leaf-large' : 'leaf-mini';
    const response = await fetch(new URL('/v1/chat/completions', options.modelUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${accountId}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: `Step ${i} of the refactor: explain what changes in module ${i}.` }], max_tokens: 120 }),
    });
    const body = await response.json() as { usage?: { total_tokens: number }; billing?: { cost: Money; balance: Money }; error?: { message: string } };
    if (!response.ok) throw new Error(`request ${i} failed (${response.status}): ${body.error?.message}`);
    balance = body.billing!.balance;
    if (i % 10 === 0 || i === 1) note(`request ${String(i).padStart(2)}: ${model.padEnd(10)} ${body.usage!.total_tokens} tokens, ${formatMoney(body.billing!.cost)}; balance ${formatMoney(balance)}`);
  }

  step('The balance crossed the threshold: the relay bought a top-up under the agent\'s mandate');
  const automatic = await waitFor(async () => (await credits(wallet, accountId)).topUps.find((t) => t.automatic && t.status !== 'pending'));
  note(`automatic top-up ${automatic.id}: ${automatic.status} ${formatMoney(automatic.amount)}, bought by ${automatic.agent.name}`);

  const payUrl = new URL(PAY_PER_REQUEST_PATH, options.modelUrl);
  step(`One request paid by itself with x402 \`upto\` at ${payUrl}: its 402 names at most ${formatMoney(PAY_PER_REQUEST_MAXIMUM)}, the vendor settles what it used`);
  const pay = agentpayFetch(agent);
  const response = await pay(payUrl, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'leaf-large', messages: [{ role: 'user', content: 'One question, no account: what is a good tea for the afternoon?' }], max_tokens: 120 }),
  });
  const paid = await response.json() as { billing?: { charged: Money } };
  const charged = paid.billing?.charged ?? null;
  note(`HTTP ${response.status}: charged ${charged ? formatMoney(charged) : 'nothing'} of the ${formatMoney(PAY_PER_REQUEST_MAXIMUM)} the token allowed; the rest went back to the budget`);

  step(`${vendor.name} reads its usage statement since this demo began (all its customers), signed with its key`);
  const key = await loadMerchantKey(options.dataDir, MODEL_KEY_FILE);
  const asVendor = anonymous.as({ id: vendor.id, privateKey: key.privateKey });
  const statement = await asVendor.get<UsageStatement>(`/v1/vendor/statement?${new URLSearchParams({ from: began.toISOString(), to: new Date(Date.now() + 1000).toISOString() })}`);
  for (const line of statement.lines) note(`${(line.model ?? '(no model)').padEnd(12)} ${String(line.requests).padStart(3)} requests  ${String(line.units).padStart(6)} tokens  ${formatMoney(line.amount)}`);

  const view = await credits(wallet, accountId);
  step('What the user sees in the AI Wallet');
  note(`${view.vendor.name}: ${formatMoney(view.balance)} left; top-ups: ${view.topUps.map((t) => `${formatMoney(t.amount)} ${t.automatic ? 'automatic' : 'asked'} by ${t.agent.name} (${t.status})`).join(', ')}`);
  return {
    walletId: walletRecord.id, agentId: actor.id, accountId, topUps: view.topUps, requests: REQUESTS,
    payPerRequest: { status: response.status, charged }, statement, credits: view,
  };
}

async function credits(wallet: RelayHttpClient, accountId: string) {
  const { credits: all } = await wallet.get<WalletCredits>('/v1/wallet/credits');
  return all.find((c) => c.accountId === accountId)!;
}

/** Polls until `find` returns something (the relay buys the top-up just after the settle that crossed). */
async function waitFor<T>(find: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing after ${ms / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** `npm run demo:tokens`: against a running `npm start`. */
export async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const relayUrl = env.RELAY_URL ?? 'http://127.0.0.1:8787';
  const modelUrl = env.MODEL_API_URL ?? 'http://127.0.0.1:8789';
  try {
    const up = await fetch(new URL('/v1/models', modelUrl), { signal: AbortSignal.timeout(3_000) }).then((r) => r.ok, () => false);
    if (!up) throw new Error(`the demo model API is not running at ${modelUrl}: start it with npm start`);
    const dataDir = demoDataDir(env);
    await runTokenDemo({ relayUrl, modelUrl, dataDir, pairingCode: env.PAIRING_CODE ?? readPairingCode(dataDir) });
    return 0;
  } catch (error) {
    if (error instanceof ProtocolError) process.stderr.write(`\nrefused: ${error.code}: ${error.message}\n`);
    else process.stderr.write(`\ndemo tokens: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.env).then((code) => process.exit(code));
}
