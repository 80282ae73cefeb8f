import { agentSignedFetch, formatMoney, Intent, Money, type RelayHttpClient } from '@agentpay/protocol';
import { AgentPayScheme, PaymentNotApproved, x402ClientFor } from '@agentpay/x402';
import { wrapFetchWithPayment } from '@x402/fetch';
import * as z from 'zod';
import { aboutPayment } from '../payments/answer.ts';
import { defineTool } from './tool.ts';

/** The most of a paid resource's body the server reads and a tool result carries. */
const MAX_BODY_BYTES = 20_000;

/**
 * Fetches an HTTP resource that may answer 402 (x402 v2): AgentPay's scheme asks the relay for a
 * token within the user's mandate, the official x402 client retries with it, and the agent reads
 * the resource and what was paid, never the token.
 */
export const payResourceTool = defineTool({
  name: 'pay_http_resource',
  title: 'Fetch a paid HTTP resource (x402)',
  description:
    'Fetches a URL; if it answers 402 Payment Required (x402 v2) and takes AgentPay, pays it within your user\'s mandate and fetches it again. '
    + 'Above the mandate it waits for your user (up to waitSeconds); if still waiting, call again with the same idempotencyKey to pick it up. Answers the status, what was paid and the body.',
  input: {
    url: z.url({ protocol: /^https?$/, error: 'url must be an absolute http(s) URL' }),
    method: z.enum(['GET', 'POST']).default('GET'),
    body: z.string().max(100_000).optional().describe('Request body for POST'),
    contentType: z.string().max(100).default('application/json').describe('Content-Type of the body'),
    maxAmount: Money.describe('The most you will pay for it, e.g. { "minor": 500, "currency": "CNY" }'),
    reason: z.string().min(1).max(500).describe('Why, in words your user will read in their wallet'),
    idempotencyKey: z.string().min(8).max(200).describe('Your own unique key for this purchase: asking again with it never pays twice'),
    taskId: z.string().min(1).max(64).optional().describe('The task this payment belongs to (as in report_progress)'),
    waitSeconds: z.number().int().min(0).max(50).default(30).describe('When the payment waits for your user, wait this long for their answer'),
  },
  readOnly: false,
  async run({ relay, tellUser, seen }, args) {
    const answered = new AbortController();
    let held: Intent | undefined;
    let refused: Intent | undefined;
    let told: Promise<void> | undefined;
    const scheme = new AgentPayScheme(relay, {
      // The origin asked, not what its 402 says: a site passing on a shop's 402 is refused or held.
      origin: new URL(args.url).origin,
      maxAmount: args.maxAmount, reason: args.reason, idempotencyKey: `mcp-x402:${args.idempotencyKey}`, waitForUserMs: args.waitSeconds * 1000,
      taskId: args.taskId,
      // Held past the wait, it stays held: the agent picks it up again with the same idempotencyKey.
      cancelWhenGivingUp: false,
      onNotApproved: (intent) => { refused = intent; },
      onHeld: (intent) => {
        held = intent;
        told = tellUser(intent, answered.signal);
      },
    });
    const client = x402ClientFor(scheme, [args.maxAmount.currency]);
    // Each request (the first and the paid retry) signed by the relay: Web Bot Auth.
    const pay = wrapFetchWithPayment(agentSignedFetch(relay), client);
    let response: Response;
    try {
      response = await pay(args.url, {
        method: args.method,
        // Never followed: a paid retry must not carry its token to another site.
        redirect: 'manual',
        ...(args.body !== undefined ? { body: args.body, headers: { 'content-type': args.contentType } } : {}),
        signal: AbortSignal.timeout((args.waitSeconds + 20) * 1000),
      });
    } catch (error) {
      if (refused) {
        await seen(refused);
        const about = aboutPayment(refused);
        const waiting = refused.status === 'pending_confirmation';
        return {
          text: waiting
            ? `${formatMoney(refused.amount)} waits for your user; call pay_http_resource again with the same idempotencyKey once they answered (get_payment follows it).`
            : `Not paid: ${new PaymentNotApproved(refused).message}`,
          data: { status: waiting ? 'waiting_for_user' : refused.status, payment: about },
        };
      }
      throw error;
    } finally {
      answered.abort();
      await told;
    }
    if (held) await seen({ ...held, status: response.ok ? 'approved' : held.status });
    // Paid is what the relay says of the payments made for this fetch, not the merchant's headers.
    const paid = await paidAmong(relay, scheme.issuedIntents);
    const { text, truncated } = await readCapped(response, MAX_BODY_BYTES);
    const data = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      paid,
      heldForUser: held ? held.id : null,
      body: text,
      truncated,
    };
    const line = response.status === 402 ? 'Still 402: the merchant did not take the payment' : String(response.status);
    const answer = { text: `${line}${paid ? ` (paid ${formatMoney(paid.amount)}, payment ${paid.paymentId})` : ''}.`, data };
    // The merchant holds the token and writes everything above but `paid`: none of it may carry the token to the agent.
    return JSON.parse(redact(JSON.stringify(answer), scheme.issuedSecrets)) as typeof answer;
  },
});

/** The payment of this fetch that the relay shows charged (its token no longer active), if any. */
async function paidAmong(relay: RelayHttpClient, intentIds: Set<string>) {
  for (const id of intentIds) {
    const intent = Intent.parse(await relay.get(`/v1/intents/${id}`));
    if (intent.status === 'approved' && !intent.token) return { paymentId: intent.id, amount: intent.amount };
  }
  return null;
}

/** At most `maxBytes` of the body, as text without invisible format characters (what the agent reads). */
async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > maxBytes) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  const text = new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\p{Cf}/gu, '');
  return { text, truncated };
}

function redact(text: string, secrets: Set<string>): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join('[token]');
  return clean;
}
