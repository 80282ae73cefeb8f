import { AGENT_REQUEST_COMPONENTS, generateNonceBase64, signRequest, WEB_BOT_AUTH_TAG } from '@agentpay/protocol';
import * as z from 'zod';
import type { RelayContext } from '../context.ts';
import { agentSigningKey } from './key.ts';

/** How long a signature the relay makes for an agent stays valid: one request's worth. */
export const SIGNATURE_LIFETIME_SECONDS = 60;

export const SignatureRequest = z
  .object({
    method: z.string().regex(/^[A-Z]{3,7}$/, 'method is an HTTP method in capitals, e.g. GET'),
    url: z.url({ protocol: /^https?$/, error: 'url must be the absolute http(s) URL being requested' }).max(2000),
  })
  .strict();
export type SignatureRequest = z.infer<typeof SignatureRequest>;

/**
 * Signs one request an active agent is about to make: its authority, method and path, and the
 * Signature-Agent header naming this relay, whose directory holds the key. A revoked agent never
 * gets here (its own signature to the relay is refused first).
 */
export async function signForAgent(ctx: RelayContext, relayUrl: string, asked: SignatureRequest): Promise<{ headers: Record<string, string> }> {
  const key = agentSigningKey(ctx);
  const signatureAgent = `"${relayUrl}"`;
  const created = Math.floor(ctx.now().getTime() / 1000);
  const signed = await signRequest(
    { method: asked.method, url: asked.url, headers: new Headers({ 'signature-agent': signatureAgent }) },
    {
      label: 'sig1',
      components: AGENT_REQUEST_COMPONENTS,
      params: { created, keyid: key.publicJwk.kid, alg: 'ed25519', expires: created + SIGNATURE_LIFETIME_SECONDS, nonce: generateNonceBase64(), tag: WEB_BOT_AUTH_TAG },
    },
    key.sign,
  );
  return { headers: { ...signed, 'Signature-Agent': signatureAgent } };
}
