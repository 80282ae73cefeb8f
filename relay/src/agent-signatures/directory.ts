import { SIGNATURE_DIRECTORY_MEDIA_TYPE, SIGNATURE_DIRECTORY_PATH } from '@agentpay/protocol';
import type { Hono } from 'hono';
import type { RelayContext } from '../context.ts';
import { agentSigningKey } from './key.ts';

/**
 * The relay's signature directory (Web Bot Auth): the public key its agents' requests are signed
 * with, for merchants to check them. The Signature-Agent header of those requests names this relay.
 */
export function mountSignatureDirectory(app: Hono, ctx: RelayContext): void {
  app.get(SIGNATURE_DIRECTORY_PATH, (c) => {
    c.header('content-type', SIGNATURE_DIRECTORY_MEDIA_TYPE);
    c.header('cache-control', 'max-age=300');
    return c.body(JSON.stringify({ keys: [agentSigningKey(ctx).publicJwk], purpose: 'AgentPay agents acting for a wallet of this relay' }));
  });
}
