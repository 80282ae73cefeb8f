import { ErrorBody, PROTOCOL_VERSION } from '@agentpay/protocol';
import * as z from 'zod';
import type { Route } from './route.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI 3 document served at /v1/openapi.json, generated from the same zod schemas that validate. */
export function openApiDocument(routes: Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? Object.entries((jsonSchema(r.query, 'input') as { properties?: Record<string, unknown> }).properties ?? {}) : [];
    const headers = [
      ...(Array.isArray(r.auth) || r.auth === 'self'
        ? [{ name: 'x-agentpay-signature', in: 'header', required: true, description: 'ES256 compact JWS over {aud, ts, nonce, bodySha256}', schema: { type: 'string' } }]
        : []),
      ...(r.command ? [{ name: 'idempotency-key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } }] : []),
    ];
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      description: Array.isArray(r.auth) ? `Signed by: ${r.auth.join(', ')}.` : r.auth === 'self' ? 'Signed by the key being registered.' : 'Public.',
      parameters: [...params, ...query.map(([name, schema]) => ({ name, in: 'query', schema })), ...headers],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: {
          description: 'OK',
          content: { 'application/json': { schema: r.response ? jsonSchema(r.response, 'output') : {} } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'AgentPay relay', version: PROTOCOL_VERSION, description: 'Authorization, tokenization and ledger for payments made by AI agents.' },
    paths,
  };
}
