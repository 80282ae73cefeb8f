import {
  ErrorBody, httpAudience, IDEMPOTENCY_HEADER, invalidRequest, ProtocolError, PublicJwk, SIGNATURE_HEADER, sha256Base64url, text,
} from '@agentpay/protocol';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import type { RelayContext } from '../context.ts';
import { runCommand } from '../idempotency/command.ts';
import type { KeyedPrincipal, Principal } from '../identity/principals.ts';
import { thumbprint } from '../identity/thumbprint.ts';
import { consumeNonce, identifySigner, verifySelfSigned, verifySignedBy } from '../identity/verify.ts';
import { storeUnavailable } from '../store/unavailable.ts';
import { openApiDocument } from './openapi.ts';
import type { Route } from './route.ts';
import { RetryLater } from './retry-later.ts';
import { allRoutes } from './routes/index.ts';
import { mountFacilitator } from '../x402/routes.ts';
import { mountApprovalPage } from '../intents/approval-page.ts';
import { mountSignatureDirectory } from '../agent-signatures/directory.ts';

declare module 'hono' {
  /** What the step before the body leaves for the handler: the signer the header names, not yet verified. */
  interface ContextVariableMap {
    signer: KeyedPrincipal;
  }
}

/**
 * The relay's HTTP API. Every route goes through the same steps: check the
 * signature header's form and that its signer is known (before any of the
 * body is read), read the raw body up to the size limit, verify the
 * signature over it, validate with zod, then either run a command
 * (idempotent, one transaction) or a read.
 */
export function createHttpApp(ctx: RelayContext, routes: Route[] = allRoutes): Hono {
  const app = new Hono();
  const openapi = openApiDocument(routes);
  const maxBytes = ctx.config.maxBodyBytes;
  const limitBody = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProtocolError('body_too_large', `the request body is larger than this relay's limit of ${maxBytes} bytes`, 413);
    },
  });

  app.get('/v1/openapi.json', (c) => c.json(openapi));
  mountFacilitator(app, ctx, limitBody);
  mountApprovalPage(app, ctx);
  mountSignatureDirectory(app, ctx);
  for (const spec of routes) {
    app.on(spec.method, spec.path.replace(/\{(\w+)\}/g, ':$1'), signerFirst(ctx, spec), limitBody, (c) => handle(ctx, spec, c));
  }
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /v1/openapi.json`), 404));
  app.onError((error, c) => {
    if (error instanceof RetryLater) c.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof ProtocolError) return c.json(error.toBody(), error.status as 400);
    const unavailable = storeUnavailable(error);
    if (unavailable) {
      ctx.log.warn({ err: error, path: c.req.path }, 'store unavailable');
      return c.json(unavailable.toBody(), 503);
    }
    ctx.log.error({ err: error, path: c.req.path }, 'request failed');
    return c.json(errorBody('internal_error', 'the relay failed to handle this request; nothing was changed'), 500);
  });
  return app;
}

/** A compact JWS: three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/**
 * Refuses a request whose signature header is missing or malformed, or names a signer this relay
 * does not know (or one not allowed on this route), before a byte of its body is read: a stranger
 * cannot make the relay buffer and hash bodies. Registrations carry their key in the body, so for
 * them only the header's form is checked here.
 */
function signerFirst(ctx: RelayContext, spec: Route): MiddlewareHandler {
  return async (c, next) => {
    if (spec.auth === 'none') return next();
    const jws = c.req.header(SIGNATURE_HEADER);
    if (spec.auth === 'self') {
      if (!jws) throw new ProtocolError('unauthenticated', 'registration must be signed with the key being registered', 401);
      if (!COMPACT_JWS.test(jws)) throw new ProtocolError('bad_signature', 'the signature is not a compact JWS', 401);
      return next();
    }
    const signer = await identifySigner(ctx.db, jws);
    if (!spec.auth.includes(signer.kind)) {
      throw new ProtocolError('forbidden', `${spec.method} ${spec.path} is for ${spec.auth.join(' or ')} keys, not for ${signer.kind === 'agent' ? 'an agent' : `a ${signer.kind}`}`, 403);
    }
    c.set('signer', signer);
    return next();
  };
}

async function handle(ctx: RelayContext, spec: Route, c: Context): Promise<Response> {
  const url = new URL(c.req.url);
  const raw = spec.method === 'GET' ? '' : await c.req.text();
  const json = raw === '' ? undefined : parseJson(raw);
  const body = spec.body ? validate(spec.body, json ?? {}, 'the request body') : undefined;
  const query = spec.query ? validate(spec.query, Object.fromEntries(url.searchParams), 'the query string') : undefined;

  const aud = httpAudience(spec.method, url.pathname + url.search);
  const jws = c.req.header(SIGNATURE_HEADER);
  const now = ctx.now();
  let principal: Principal;
  let nonce: string | undefined;
  if (spec.auth === 'none') {
    principal = { kind: 'anonymous', id: 'anonymous' };
  } else {
    const bodySha256 = await sha256Base64url(raw);
    if (spec.auth === 'self') {
      const publicKey = PublicJwk.parse((body as { publicKey: unknown }).publicKey);
      const id = `key_${await thumbprint(publicKey)}`;
      ({ principal, claims: { nonce } } = await verifySelfSigned({ jws, aud, bodySha256, now, publicKey, id }));
    } else {
      ({ principal, claims: { nonce } } = await verifySignedBy(c.get('signer'), { jws: jws!, aud, bodySha256, now }));
    }
  }

  const signal = c.req.raw.signal;
  const params = validate(PathParams, c.req.param(), 'the path');
  const input = { ctx, principal, body, query, params, signal, source: remoteAddress(c), url };
  if (spec.command) {
    const prepared = spec.prepare ? await spec.prepare(input) : undefined;
    const result = await runCommand(
      ctx,
      {
        principal: principal.id,
        idempotencyKey: c.req.header(IDEMPOTENCY_HEADER),
        requestHash: await sha256Base64url(`${aud}\n${raw}`),
        nonce: nonce!,
      },
      async (tx, outbox) => ({ status: spec.status ?? 200, body: await spec.command!({ ...input, tx, outbox, prepared }) }),
    );
    c.header('idempotent-replayed', String(result.replayed));
    return c.json(result.body as object, result.status as 200);
  }
  if (nonce) await consumeNonce(ctx.db, principal.id, nonce, now);
  const result = await spec.read!(input);
  return result instanceof Response ? result : c.json(result as object);
}

/** The caller's address as the socket sees it (a proxy in front makes every caller the proxy). */
function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Ids in the path (`/v1/intents/{id}`) are text like any other: no U+0000 for the store to choke on. */
const PathParams = z.record(z.string(), text().max(200));

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ProtocolError('invalid_json', `the request body is not JSON: ${(error as Error).message}`, 400);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(what, result.error.issues);
  return result.data;
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
