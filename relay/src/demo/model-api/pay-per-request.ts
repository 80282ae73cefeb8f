import { FACILITATOR_PATH, type Merchant } from '@agentpay/protocol';
import { agentpayResourceServer, setSettlementOverrides, x402Payments } from '@agentpay/x402';
import type { Hono } from 'hono';
import * as z from 'zod';
import type { MerchantKey } from '../shop/merchant.ts';
import { countTokens, generate } from './generate.ts';
import { CURRENCY, maxCost, PRICES, VENDOR_NAME } from './prices.ts';

/** One chat completion without credits: x402 `upto`, the most a reply may cost, settled at what it used. */
export const PAY_PER_REQUEST_PATH = '/v1/pay-per-request/chat/completions';
/** The longest reply a pay-per-request call gets, and so what its 402 asks at most. */
const MAX_TOKENS = 512;
const MODEL = 'leaf-large';
export const PAY_PER_REQUEST_MAXIMUM = maxCost(MODEL, MAX_TOKENS * 2);

const Prompt = z.object({ messages: z.array(z.object({ content: z.string() }).loose()).max(100) }).loose();

/**
 * The vendor's x402 route: 402 names `upto` ¥(maximum) on the relay's network; once the relay
 * verified the agent's token for that maximum, the handler serves and sets the amount actually
 * used, and the relay's facilitator charges only that, giving the rest of the hold back.
 */
export function payPerRequest(relayUrl: string) {
  return async ({ merchant, key }: { merchant: Merchant; key: MerchantKey }): Promise<(app: Hono) => void> => {
    const server = await agentpayResourceServer({
      facilitatorUrl: new URL(FACILITATOR_PATH, relayUrl).href,
      merchant: { id: merchant.id, privateKey: key.privateKey },
      routes: (network) => ({
        [`POST ${PAY_PER_REQUEST_PATH}`]: {
          description: `${VENDOR_NAME}: one ${MODEL} chat completion, paid for what it uses`,
          mimeType: 'application/json',
          accepts: {
            scheme: 'upto', network, payTo: merchant.id, maxTimeoutSeconds: 120,
            price: { amount: String(PAY_PER_REQUEST_MAXIMUM.minor), asset: CURRENCY, extra: { category: 'services', merchantName: VENDOR_NAME } },
          },
        },
      }),
    });
    return (app) => {
      app.post(PAY_PER_REQUEST_PATH, x402Payments(server), async (c) => {
        // Whatever the body holds, the request is served (it was paid for): text parts are read, anything else ignored.
        const body: unknown = await c.req.json().catch(() => null);
        const asked = Prompt.safeParse(body);
        const messages = asked.success && asked.data.messages.length > 0
          ? asked.data.messages.map((m) => ({ role: 'user' as const, content: m.content.slice(0, MAX_TOKENS * 4) }))
          : [{ role: 'user' as const, content: 'Hello' }];
        const reply = generate(messages, MAX_TOKENS);
        const units = messages.reduce((sum, m) => sum + countTokens(m.content), 0) + reply.completionTokens;
        const price = PRICES.find((p) => p.model === MODEL)!.perMillion.minor;
        const charged = { minor: Math.ceil((units * price) / 1_000_000), currency: CURRENCY };
        setSettlementOverrides(c, { amount: String(charged.minor) });
        return c.json({
          object: 'chat.completion', model: MODEL,
          choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: units - reply.completionTokens, completion_tokens: reply.completionTokens, total_tokens: units },
          billing: { charged, maximum: PAY_PER_REQUEST_MAXIMUM },
        });
      });
    };
  };
}
