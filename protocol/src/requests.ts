import * as z from 'zod';
import { randomString } from './ids.ts';
import { sha256Base64url, signCanonical } from './signatures.ts';

/**
 * What a signed request claims. Over HTTP the body travels beside the
 * signature and is bound by its hash; over MQTT it travels inside.
 */
export const RequestClaims = z.object({
  /** Audience: `POST /v1/intents` over HTTP, `mqtt <topic>` over MQTT. */
  aud: z.string(),
  /** Milliseconds since the epoch when the request was signed. */
  ts: z.number().int(),
  /** Never reused by the same signer; the relay remembers them for the replay window. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'nonce must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -'),
  bodySha256: z.string().optional(),
  body: z.unknown().optional(),
});
export type RequestClaims = z.infer<typeof RequestClaims>;

/** Header carrying the compact JWS over RequestClaims; its `kid` is the signer's id. */
export const SIGNATURE_HEADER = 'x-agentpay-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** How far a request's timestamp may stray from the relay's clock. */
export const REQUEST_WINDOW_MS = 5 * 60_000;

export function httpAudience(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export function mqttAudience(topic: string): string {
  return `mqtt ${topic}`;
}

/** Signs an HTTP request: returns the header value for SIGNATURE_HEADER. */
export async function signHttpRequest(input: {
  method: string;
  path: string;
  body: string;
  privateKey: CryptoKey;
  kid: string;
  now?: number;
}): Promise<string> {
  const claims: RequestClaims = {
    aud: httpAudience(input.method, input.path),
    ts: input.now ?? Date.now(),
    nonce: randomString(24),
    bodySha256: await sha256Base64url(input.body),
  };
  return signCanonical(claims, input.privateKey, input.kid);
}

/** Signs an MQTT message: the payload to publish is the returned compact JWS. */
export async function signMqttMessage(input: {
  topic: string;
  body: unknown;
  privateKey: CryptoKey;
  kid: string;
  now?: number;
}): Promise<string> {
  const claims: RequestClaims = {
    aud: mqttAudience(input.topic),
    ts: input.now ?? Date.now(),
    nonce: randomString(24),
    body: input.body,
  };
  return signCanonical(claims, input.privateKey, input.kid);
}
