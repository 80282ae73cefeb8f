import type { HTTPAdapter, HTTPRequestContext, HTTPResponseInstructions, x402HTTPResourceServer } from '@x402/core/server';
import type { Context, MiddlewareHandler } from 'hono';

/**
 * Hono middleware around the official x402 HTTP resource server (the package `@x402/hono` would
 * pull in every on-chain scheme): a paid route answers 402 until a payment verifies, runs its
 * handler, then settles; a failed settlement turns the answer back into a 402, so nothing is
 * served unpaid. A handler that fails is not charged.
 */
export function x402Payments(httpServer: x402HTTPResourceServer): MiddlewareHandler {
  return async (c, next) => {
    const context = requestContext(c);
    if (!httpServer.requiresPayment(context)) return next();
    const result = await httpServer.processHTTPRequest(context);
    if (result.type === 'no-payment-required') return next();
    if (result.type === 'payment-error') return respond(result.response);

    try {
      await next();
    } catch (error) {
      await result.cancellationDispatcher.cancel({ reason: 'handler_threw', error });
      throw error;
    }
    if (c.error || c.res.status >= 400) {
      await result.cancellationDispatcher.cancel({ reason: 'handler_failed', responseStatus: c.res.status });
      return;
    }
    const settled = await httpServer.processSettlement(result.paymentPayload, result.paymentRequirements, result.declaredExtensions, { request: context });
    if (!settled.success) {
      c.res = undefined;
      c.res = respond(settled.response, settled.headers);
      return;
    }
    for (const [name, value] of Object.entries(settled.headers)) c.res.headers.set(name, value);
  };
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
