import {
  type HTTPAdapter, type HTTPRequestContext, type HTTPResponseInstructions, SETTLEMENT_OVERRIDES_HEADER, type SettlementOverrides,
  type x402HTTPResourceServer,
} from '@x402/core/server';
import type { Context, MiddlewareHandler } from 'hono';

/**
 * What an `upto` route's handler calls before it answers: the amount to settle, at most the route's
 * price. As `@x402/hono`'s own: `amount` is minor units as a string (`'123'` is ¥1.23), `'0'` when
 * nothing was used (nothing is charged and the whole hold goes back), or a percentage of the price
 * (`'50%'`). `x402Payments` reads it after the handler, settles that amount and strips it from the
 * answer. Without it an `upto` route settles its whole price.
 *
 *   app.post('/generate', x402Payments(server), async (c) => {
 *     const text = await generate();
 *     setSettlementOverrides(c, { amount: String(text.tokens * 2) });
 *     return c.json({ text });
 *   });
 */
export function setSettlementOverrides(c: Context, overrides: SettlementOverrides): void {
  c.header(SETTLEMENT_OVERRIDES_HEADER, JSON.stringify(overrides));
}

/**
 * Hono middleware around the official x402 HTTP resource server (the package `@x402/hono` would
 * pull in every on-chain scheme): a paid route answers 402 until a payment verifies, runs its
 * handler, then settles; a failed settlement turns the answer back into a 402, so nothing is
 * served unpaid. A handler that fails is not charged. An `upto` route settles the amount its
 * handler set with `setSettlementOverrides`.
 */
export function x402Payments(httpServer: x402HTTPResourceServer): MiddlewareHandler {
  return async (c, next) => {
    const context = requestContext(c);
    if (!httpServer.requiresPayment(context)) return next();
    const result = await httpServer.processHTTPRequest(context);
    if (result.type === 'no-payment-required') return next();
    if (result.type === 'payment-error') return respond(result.response);

    let overrides: SettlementOverrides | undefined;
    try {
      await next();
      // What the handler asked to settle is for this middleware, never for the client.
      overrides = takeSettlementOverrides(c);
    } catch (error) {
      await result.cancellationDispatcher.cancel({ reason: 'handler_threw', error });
      throw error;
    }
    if (c.error || c.res.status >= 400) {
      await result.cancellationDispatcher.cancel({ reason: 'handler_failed', responseStatus: c.res.status });
      return;
    }
    const settled = await httpServer.processSettlement(result.paymentPayload, result.paymentRequirements, result.declaredExtensions, { request: context }, overrides);
    if (!settled.success) {
      c.res = undefined;
      c.res = respond(settled.response, settled.headers);
      return;
    }
    for (const [name, value] of Object.entries(settled.headers)) c.res.headers.set(name, value);
  };
}

/** The settlement overrides the handler set (its answer's `Settlement-Overrides` header), taken out of the answer. */
function takeSettlementOverrides(c: Context): SettlementOverrides | undefined {
  const raw = c.res.headers.get(SETTLEMENT_OVERRIDES_HEADER);
  if (raw === null) return undefined;
  c.res.headers.delete(SETTLEMENT_OVERRIDES_HEADER);
  try {
    return JSON.parse(raw) as SettlementOverrides;
  } catch {
    // Never settled as "no override" (the whole price): the request fails unsettled.
    throw new Error(`the ${SETTLEMENT_OVERRIDES_HEADER} the handler set is not JSON: use setSettlementOverrides(c, { amount })`);
  }
}

/** A Hono request as the official x402 HTTP resource server reads it. */
export function requestContext(c: Context): HTTPRequestContext {
  return {
    adapter: adapterFor(c),
    path: c.req.path,
    method: c.req.method,
    paymentHeader: c.req.header('payment-signature') ?? c.req.header('x-payment'),
  };
}

function adapterFor(c: Context): HTTPAdapter {
  return {
    getHeader: (name) => c.req.header(name),
    getMethod: () => c.req.method,
    getPath: () => c.req.path,
    getUrl: () => c.req.url,
    getAcceptHeader: () => c.req.header('accept') ?? '',
    getUserAgent: () => c.req.header('user-agent') ?? '',
    getQueryParams: () => c.req.queries(),
    getQueryParam: (name) => c.req.queries(name),
  };
}

/** The official server's answer (a 402, a failed settlement) as a Response. */
export function respond(instructions: HTTPResponseInstructions, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ ...instructions.headers, ...extraHeaders });
  const body = instructions.body === undefined ? null : typeof instructions.body === 'string' ? instructions.body : JSON.stringify(instructions.body);
  if (body !== null && !headers.has('content-type')) headers.set('content-type', instructions.isHtml ? 'text/html; charset=utf-8' : 'application/json');
  return new Response(body, { status: instructions.status, headers });
}
