import {
  AGENTPAY_SCHEMES, FACILITATOR_PATH, FacilitatorRequest, httpAudience, ProtocolError, SIGNATURE_HEADER, sha256Base64url,
  type SupportedResponse, X402_VERSION,
} from '@agentpay/protocol';
import type { Hono, MiddlewareHandler } from 'hono';
import type { RelayContext } from '../context.ts';
import { runCommand } from '../idempotency/command.ts';
import { consumeNonce, identifySigner, verifySignedBy } from '../identity/verify.ts';
import { settlePayment, verifyPayment } from './facilitator.ts';
import { relayNetwork } from './network.ts';

/**
 * The facilitator's three x402 endpoints under `/x402`. `/supported` (public) lists schemes `exact`
 * and `upto` on this relay's network; `/verify` and `/settle` are the merchant's own calls, signed
 * like every merchant request but over the call alone (`aud` "POST /x402/settle", a fresh nonce):
 * the official x402 clients attach headers per endpoint and cannot sign a body they have not built
 * yet. The body binds itself: `payTo` must be the signing merchant and the token must be bound to it.
 */
export function mountFacilitator(app: Hono, ctx: RelayContext, limitBody: MiddlewareHandler): void {
  app.get(`${FACILITATOR_PATH}/supported`, (c) => {
    const supported: SupportedResponse = {
      kinds: AGENTPAY_SCHEMES.map((scheme) => ({ x402Version: X402_VERSION, scheme, network: relayNetwork(ctx) })),
      extensions: [],
      signers: {},
    };
    return c.json(supported);
  });

  app.post(`${FACILITATOR_PATH}/verify`, limitBody, async (c) => {
    const { merchantId, nonce } = await merchantCall(ctx, c.req.header(SIGNATURE_HEADER), `${FACILITATOR_PATH}/verify`);
    const request = parseRequest(await c.req.text());
    await consumeNonce(ctx.db, merchantId, nonce, ctx.now());
    return c.json(await verifyPayment(ctx, merchantId, request));
  });

  app.post(`${FACILITATOR_PATH}/settle`, limitBody, async (c) => {
    const { merchantId, nonce } = await merchantCall(ctx, c.req.header(SIGNATURE_HEADER), `${FACILITATOR_PATH}/settle`);
    const raw = await c.req.text();
    const request = parseRequest(raw);
    // Each settle call is its own command (keyed by its nonce): a second call with the same token
    // must find it charged, never replay the first call's success.
    const result = await runCommand(
      ctx,
      { principal: merchantId, idempotencyKey: `x402-settle:${nonce}`, requestHash: await sha256Base64url(raw), nonce },
      async (tx, outbox) => ({ status: 200, body: await settlePayment(ctx, tx, outbox, merchantId, request) }),
    );
    return c.json(result.body as object);
  });
}

async function merchantCall(ctx: RelayContext, jws: string | undefined, path: string): Promise<{ merchantId: string; nonce: string }> {
  const signer = await identifySigner(ctx.db, jws);
  if (signer.kind !== 'merchant') throw new ProtocolError('forbidden', `POST ${path} is for merchant keys, not for ${signer.kind === "agent" ? 'an agent' : `a ${signer.kind}`}`, 403);
  const { claims } = await verifySignedBy(signer, { jws: jws!, aud: httpAudience('POST', path), now: ctx.now() });
  return { merchantId: signer.id, nonce: claims.nonce };
}

function parseRequest(raw: string): FacilitatorRequest {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ProtocolError('invalid_json', `the request body is not JSON: ${(error as Error).message}`, 400);
  }
  const parsed = FacilitatorRequest.safeParse(json);
  if (!parsed.success) {
    const summary = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ProtocolError('invalid_request', `the request body is not { x402Version: 2, paymentPayload, paymentRequirements }: ${summary}`, 400);
  }
  return parsed.data;
}
