import {
  canonicalize, ErrorBody, httpAudience, IDEMPOTENCY_HEADER, ProtocolError, randomString, SIGNATURE_HEADER, sha256Base64url, type ErrorCode,
} from '@agentpay/protocol';
import type { Page } from 'playwright-core';
import type { Relay } from '../relay/src/relay.ts';
import type { WalletHands } from '../relay/test/spending-history.ts';

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/**
 * The paired wallet's own hands, for seeding its history through the relay's API: the extension
 * keeps the wallet key non-extractable in its IndexedDB, so every signature is made inside one of
 * its pages (`page`, on the extension's origin) with that very key; the request is then sent from
 * here, timestamped by the relay's clock (which the test may have moved back to lay down weeks).
 */
export async function extensionWallet(page: Page, relay: Relay): Promise<WalletHands> {
  const [wallet] = await relay.ctx.db.query<{ id: string }>('SELECT id FROM wallets');
  if (!wallet) throw new Error('no wallet is paired');
  const id = wallet.id;

  const sign = async (document: unknown): Promise<string> => {
    const input = `${b64url(JSON.stringify({ alg: 'ES256', kid: id }))}.${b64url(canonicalize(document))}`;
    const signature = await page.evaluate(async (signingInput) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open('agentpay-keys');
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const key = await new Promise<CryptoKey>((ok, fail) => {
        const read = db.transaction('keys').objectStore('keys').get('wallet');
        read.onsuccess = () => ok(read.result as CryptoKey);
        read.onerror = () => fail(read.error);
      });
      db.close();
      const bytes = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(signingInput)));
      return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    }, input);
    return `${input}.${signature}`;
  };

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const claims = { aud: httpAudience(method, path), ts: relay.ctx.now().getTime(), nonce: randomString(24), bodySha256: await sha256Base64url(text) };
    const headers: Record<string, string> = { [SIGNATURE_HEADER]: await sign(claims) };
    if (text) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers[IDEMPOTENCY_HEADER] = `idem_${randomString(24)}`;
    const response = await fetch(new URL(path, relay.httpUrl), { method, headers, body: text || undefined });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      throw parsed.success
        ? new ProtocolError(parsed.data.error.code as ErrorCode, parsed.data.error.message, response.status)
        : new Error(`${method} ${path} answered ${response.status}`);
    }
    return json as T;
  };

  return {
    id,
    sign,
    client: {
      get: <T>(path: string) => request<T>('GET', path),
      post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
      put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    },
  };
}
