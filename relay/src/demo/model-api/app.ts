import { formatMoney, type Money, newId, ProtocolError, type RelayHttpClient, type Usage } from '@agentpay/protocol';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { type ChatMessage, countTokens, generate } from './generate.ts';
import { maxCost, PRICES, VENDOR_NAME } from './prices.ts';

/** Message content as OpenAI's clients send it: a string, or text parts. */
const Content = z.union([
  z.string().max(20_000),
  z.array(z.object({ type: z.literal('text', { error: 'only text parts are served' }), text: z.string().max(20_000) }).loose()).max(50)
    .transform((parts) => parts.map((p) => p.text).join('\n')),
]);

const ChatRequest = z.object({
  model: z.enum(PRICES.map((p) => p.model) as [string, ...string[]], { error: `model must be one of ${PRICES.map((p) => p.model).join(', ')}` }),
  messages: z.array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: Content }).loose()).min(1, 'messages must not be empty').max(100),
  max_tokens: z.number().int().min(1).max(4096).optional(),
  /** The newer name of max_tokens. */
  max_completion_tokens: z.number().int().min(1).max(4096).optional(),
  stream: z.literal(false, { error: 'streaming is not served by this demo: send stream: false (nothing was reserved)' }).optional(),
}).loose();
const DEFAULT_MAX_TOKENS = 256;

export interface ModelApiDeps {
  /** The relay, signed as this vendor. */
  relay: RelayHttpClient;
  /** Mounts routes paid per request (x402), if the vendor offers them. */
  payPerRequest?: (app: Hono) => void;
}

/** An OpenAI-shaped error, so that an agent's usual client shows it as it shows a vendor's. */
function apiError(c: Context, status: ContentfulStatusCode, type: string, message: string, code?: string) {
  return c.json({ error: { message, type, code: code ?? type, param: null } }, status);
}

/**
 * The demo model vendor's API: a chat-completion endpoint in the shape agents' clients speak,
 * billed through Token Pay. The API key is the wallet's credit account here (`cra_…`, which only
 * the wallet's agents and this vendor see); a real vendor would issue keys of its own and map them.
 * Each request reserves its most expensive outcome (prompt plus the longest reply allowed), serves,
 * then settles the tokens used at the registered price, so a balance can never be overdrawn.
 */
export function createModelApiApp(deps: ModelApiDeps): Hono {
  const app = new Hono();
  // A prompt is at most 100 messages of 20,000 characters: anything much larger is refused unread.
  app.use(bodyLimit({ maxSize: 4 * 1024 * 1024, onError: (c) => apiError(c, 413, 'invalid_request_error', 'the request body is larger than 4 MB') }));

  app.get('/v1/models', (c) => c.json({ object: 'list', vendor: VENDOR_NAME, data: PRICES.map((p) => ({ id: p.model, object: 'model', price: p })) }));

  app.post('/v1/chat/completions', async (c) => {
    const accountId = /^Bearer (cra_[0-9a-z]{1,64})$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!accountId) return apiError(c, 401, 'invalid_api_key', 'send your credit account as the API key: Authorization: Bearer cra_… (GET /v1/agents/me/credits at the relay lists it)');
    const parsed = ChatRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return apiError(c, 400, 'invalid_request_error', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const { model } = parsed.data;
    const maxTokens = parsed.data.max_completion_tokens ?? parsed.data.max_tokens ?? DEFAULT_MAX_TOKENS;
    const messages: ChatMessage[] = parsed.data.messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: m.content }));
    const usageId = `chatcmpl-${newId('task').slice(4)}`;
    const promptTokens = messages.reduce((sum, m) => sum + countTokens(m.content), 0);
    const reserve: Money = maxCost(model, promptTokens + maxTokens);
    try {
      await deps.relay.post<Usage>('/v1/vendor/usage', { accountId, usageId, amount: reserve, model }, { idempotencyKey: `reserve:${usageId}` });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      if (error.code === 'insufficient_credits') {
        const why = `a request reserves its most expensive outcome first (${promptTokens} prompt tokens + max_tokens ${maxTokens}, ${formatMoney(reserve)})`;
        return apiError(c, 402, 'insufficient_quota', `${error.message}; ${why}. Top up (the relay's POST /v1/agents/me/top-ups, or agentpay-mcp's top_up_credits) or ask for fewer max_tokens`, 'insufficient_credits');
      }
      if (error.code === 'not_found') return apiError(c, 401, 'invalid_api_key', `${accountId} is not a credit account at ${VENDOR_NAME}`);
      throw error;
    }
    let reply: ReturnType<typeof generate>;
    try {
      reply = generate(messages, maxTokens);
    } catch (error) {
      await deps.relay.post(`/v1/vendor/usage/${usageId}/release`, {}, { idempotencyKey: `release:${usageId}` });
      throw error;
    }
    const units = reply.promptTokens + reply.completionTokens;
    const settled = await deps.relay.post<Usage>(`/v1/vendor/usage/${usageId}/settle`, { units, model }, { idempotencyKey: `settle:${usageId}` });
    return c.json({
      id: usageId,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: reply.completionTokens >= maxTokens ? 'length' : 'stop' }],
      usage: { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: units },
      billing: { cost: settled.settled, balance: settled.account.balance },
    });
  });

  deps.payPerRequest?.(app);

  app.notFound((c) => apiError(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof ProtocolError && error.status < 500) return apiError(c, error.status as ContentfulStatusCode, 'invalid_request_error', error.message, error.code);
    return apiError(c, 502, 'upstream_error', 'the relay could not bill this request; nothing was charged that was not served');
  });
  return app;
}
