import { type Actor, type Intent, formatMoney, generateSigningKey, newId, RelayHttpClient, type TaskStage } from '@agentpay/protocol';
import { ShopClient } from './shop/client.ts';
import type { Order } from './shop/orders.ts';

export const CONNECTED_AGENT_NAME = 'Demo shopping agent';

export interface ConnectedAgentOptions {
  relayUrl: string;
  shopUrl: string;
  /** The agent code the user made in the AI Wallet (Agents, Connect an agent). */
  agentCode: string;
  log?: (line: string) => void;
}

export interface ConnectedAgentResult {
  walletId: string;
  agentId: string;
  intent: Intent;
  order: Order;
}

/**
 * The demo agent on the user's own wallet: it joins with the agent code the user made in the AI Wallet,
 * under a key of its own, and buys tea. It has no mandate, so the purchase waits in the user's
 * confirmation window; once approved it pays the shop, and the AI Wallet lists it under this agent.
 */
export async function runConnectedAgent(options: ConnectedAgentOptions): Promise<ConnectedAgentResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const note = (text: string) => log(`   ${text}`);
  let stepNo = 0;
  const step = (title: string) => log(`\n${++stepNo}. ${title}`);
  const shop = new ShopClient(options.shopUrl);
  const catalog = await shop.catalog();
  const anonymous = new RelayHttpClient(options.relayUrl, undefined);
  log(`Demo agent on your wallet: relay ${options.relayUrl}, shop ${catalog.merchant.name} at ${options.shopUrl}`);

  step('The agent joins your wallet with the code you made in the AI Wallet');
  const key = await generateSigningKey();
  const actor = await anonymous.as({ id: 'self', privateKey: key.privateKey })
    .post<Actor>('/v1/agents/enroll', { code: options.agentCode, name: CONNECTED_AGENT_NAME, publicKey: key.publicJwk });
  const agent = anonymous.as({ id: actor.id, privateKey: key.privateKey });
  note(`agent ${actor.id} "${actor.name}" in wallet ${actor.walletId}; no mandate yet, so you confirm each payment`);

  const goal = 'buy green tea for the week';
  step(`The agent's task: ${goal}`);
  const taskId = newId('task');
  const progress = (stage: TaskStage, message: string) => {
    note(`progress  ${stage.padEnd(22)}${message}`);
    return agent.post('/v1/progress', { taskId, stage, message });
  };
  await progress('searching', `looking through ${catalog.merchant.name}`);
  const order = await shop.createOrder([{ productId: 'longjing', quantity: 2 }]);
  await progress('found', `${order.lineItems.map((l) => `${l.quantity} × ${l.name}`).join(', ')} = ${formatMoney(order.amount)}`);
  await progress('preparing_to_pay', `asking the relay to pay ${formatMoney(order.amount)}`);
  let intent = await agent.post<Intent>('/v1/intents', {
    merchantId: order.merchantId, amount: order.amount, lineItems: order.lineItems, category: order.category,
    channel: 'api', description: goal, taskId, createdAt: new Date().toISOString(),
  });
  note(`intent    ${intent.id} ${intent.status}: ${intent.decision.reasons.map((r) => r.message).join('; ')}`);
  if (intent.status === 'pending_confirmation') {
    await progress('awaiting_confirmation', "waiting for the user's answer");
    note(`waiting   approve or reject it in the AgentPay confirmation window (until ${intent.confirmBy})`);
    while (intent.status === 'pending_confirmation') intent = await agent.get<Intent>(`/v1/intents/${intent.id}?waitSeconds=20`);
    note(`answer    ${intent.status}`);
  }
  if (intent.status !== 'approved' || !intent.token) {
    throw new Error(`the payment was ${intent.status === 'denied' ? 'rejected in your wallet' : intent.status}; nothing was paid`);
  }
  const paid = await shop.pay(order.orderId, intent.token.secret);
  note(`shop      charged ${paid.chargeId}; order ${paid.orderId} is ${paid.status}`);
  log('\nDone: the AI Wallet lists this payment under "Demo shopping agent".');
  return { walletId: actor.walletId, agentId: actor.id, intent, order: paid };
}
