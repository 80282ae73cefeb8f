import {
  MERCHANT_ORIGIN_PROOF_PATH, MerchantOriginClaims, MerchantOriginProof, type OriginCheck, type PublicJwk, verifyCanonical,
} from '@agentpay/protocol';
import { thumbprint } from '../identity/thumbprint.ts';

/**
 * How far the relay goes to fetch a proof. Registration is open to anyone, so a
 * claimed origin must not make the relay wait long, read much, or be sent elsewhere.
 */
export interface ProofFetchLimits {
  /** For the whole fetch, redirects and body included. */
  timeoutMs: number;
  maxBytes: number;
  /** Redirects followed, and only within the same origin. */
  maxRedirects: number;
}

export const PROOF_FETCH_LIMITS: ProofFetchLimits = { timeoutMs: 3_000, maxBytes: 16 * 1024, maxRedirects: 2 };

/**
 * Fetches and verifies the proof each claimed origin serves at
 * MERCHANT_ORIGIN_PROOF_PATH: a JWS by `publicKey` over this origin and this key's
 * thumbprint. Origins are checked at once; each answer says why when not proven.
 * `origins` are already normalised (scheme://host[:port], http or https).
 */
export async function checkOrigins(origins: string[], publicKey: PublicJwk, limits: ProofFetchLimits = PROOF_FETCH_LIMITS): Promise<OriginCheck[]> {
  const keyThumbprint = await thumbprint(publicKey);
  return Promise.all(origins.map(async (origin) => {
    try {
      await verifyProof(origin, await fetchProof(origin, limits), publicKey, keyThumbprint);
      return { origin, proven: true };
    } catch (error) {
      if (!(error instanceof Unproven)) throw error;
      return { origin, proven: false, problem: error.message };
    }
  }));
}

/** Why an origin is not proven: told to the merchant, never an error of the relay. */
class Unproven extends Error {}

async function verifyProof(origin: string, text: string, publicKey: PublicJwk, keyThumbprint: string): Promise<void> {
  const where = origin + MERCHANT_ORIGIN_PROOF_PATH;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Unproven(`${where} is not JSON`);
  }
  const file = MerchantOriginProof.safeParse(json);
  if (!file.success) throw new Unproven(`${where} has no "jws" with the signed proof`);
  let payload: unknown;
  try {
    ({ payload } = await verifyCanonical(file.data.jws, publicKey));
  } catch {
    throw new Unproven(`the proof at ${where} is not signed by this merchant's key`);
  }
  const claims = MerchantOriginClaims.safeParse(payload);
  if (!claims.success) throw new Unproven(`the proof at ${where} does not say {type: "agentpay.merchant-origin.v1", origin, keyThumbprint}`);
  if (claims.data.origin !== origin) throw new Unproven(`the proof at ${where} is for ${JSON.stringify(claims.data.origin)}, not ${origin}`);
  if (claims.data.keyThumbprint !== keyThumbprint) throw new Unproven(`the proof at ${where} names another key (thumbprint ${claims.data.keyThumbprint})`);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** GETs the proof, following redirects only within `origin`, within the limits. */
async function fetchProof(origin: string, limits: ProofFetchLimits): Promise<string> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = new URL(MERCHANT_ORIGIN_PROOF_PATH, origin);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'application/json' } });
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        const next = location === null ? null : URL.parse(location, url);
        if (!next || next.origin !== origin) throw new Unproven(`${url} redirects to ${next?.origin ?? 'nowhere'}; a proof must be served by the origin itself`);
        if (redirects >= limits.maxRedirects) throw new Unproven(`${origin + MERCHANT_ORIGIN_PROOF_PATH} redirects more than ${limits.maxRedirects} times`);
        url = next;
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Unproven(`no proof at ${url}: it answered ${response.status}`);
      }
      return await readLimited(response, url, limits.maxBytes);
    }
  } catch (error) {
    if (error instanceof Unproven) throw error;
    if (signal.aborted) throw new Unproven(`${url} did not send its proof within ${limits.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Unproven(`cannot fetch ${url}: ${cause}`);
  }
}

async function readLimited(response: Response, url: URL, maxBytes: number): Promise<string> {
  const tooLarge = () => new Unproven(`the proof at ${url} is larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
