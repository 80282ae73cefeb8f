import { checkRequestSignature, SIGNATURE_DIRECTORY_PATH, SignatureCheckError } from '@agentpay/protocol';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signature agent (relay) that vouched for this request, when it was signed (Web Bot Auth). */
    signedAgent: string;
  }
}

interface DirectoryKey {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

/**
 * How the shop tells an AgentPay agent acting for a wallet from an anonymous bot: a request signed
 * (Web Bot Auth) by the relay the shop trusts, checked against the relay's signature directory.
 * A signed request that fails (altered, expired, replayed, another signer) is refused outright;
 * an unsigned one is served as anonymous.
 */
export class SignedAgents {
  readonly #signatureAgent: string;
  readonly #seenNonces = new Map<string, number>();
  #directory: { keys: DirectoryKey[]; fetchedAt: number } | undefined;
  #reading: Promise<DirectoryKey[]> | undefined;

  constructor(readonly relayUrl: string, readonly now: () => number = Date.now) {
    this.#signatureAgent = `"${new URL(relayUrl).origin}"`;
  }

  /** The relay that vouched for the request, or null when it is not signed; throws SignatureCheckError when it fails. */
  async check(request: Request): Promise<string | null> {
    if (!request.headers.has('signature-input')) return null;
    if (request.headers.get('signature-agent') !== this.#signatureAgent) {
      throw new SignatureCheckError(`signed for ${request.headers.get('signature-agent') ?? 'no Signature-Agent'}, not this shop's relay ${this.#signatureAgent}`);
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    const read = await checkRequestSignature(
      { method: request.method, url: request.url, headers: request.headers },
      { now: nowSeconds, verify: (base, signature, params) => this.#verify(base, signature, params.keyid, params.alg) },
    );
    const nonce = read.params.nonce;
    if (!nonce) throw new SignatureCheckError('the signature has no nonce, so a replay could not be told apart');
    this.#forgetExpired(nowSeconds);
    if (this.#seenNonces.has(nonce)) throw new SignatureCheckError('this signature was used before: a replayed request');
    this.#seenNonces.set(nonce, read.params.expires);
    return new URL(this.relayUrl).origin;
  }

  async #verify(base: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>, keyid: string, alg: string): Promise<boolean> {
    if (alg !== 'ed25519') throw new SignatureCheckError(`alg ${alg} is not one this shop accepts`);
    const key = (await this.#keys()).find((k) => k.kid === keyid);
    if (!key?.x) throw new SignatureCheckError(`the relay's directory has no key ${keyid}`);
    const publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: key.x }, 'Ed25519', false, ['verify']);
    return crypto.subtle.verify('Ed25519', publicKey, signature, base);
  }

  /**
   * The relay's keys, read at most once a minute whatever the requests name (an unknown keyid must
   * not make every request a fetch to the relay), kept five minutes; a relay that cannot be read
   * refuses the signature rather than failing the request.
   */
  async #keys(): Promise<DirectoryKey[]> {
    const age = this.#directory ? this.now() - this.#directory.fetchedAt : Infinity;
    if (age < 60_000) return this.#directory!.keys;
    this.#reading ??= this.#read().finally(() => { this.#reading = undefined; });
    try {
      return await this.#reading;
    } catch (error) {
      if (this.#directory && age < 5 * 60_000) return this.#directory.keys;
      throw new SignatureCheckError(`the relay's signature directory could not be read (${(error as Error).message})`);
    }
  }

  async #read(): Promise<DirectoryKey[]> {
    const answer = await fetch(new URL(SIGNATURE_DIRECTORY_PATH, this.relayUrl), { signal: AbortSignal.timeout(5_000) });
    const body = (await answer.json()) as { keys?: unknown };
    if (!answer.ok || !Array.isArray(body.keys)) throw new Error(`it answered ${answer.status} without a key list`);
    const keys = body.keys.filter((k): k is DirectoryKey => typeof k === 'object' && k !== null && typeof (k as DirectoryKey).kid === 'string');
    this.#directory = { keys, fetchedAt: this.now() };
    return keys;
  }

  #forgetExpired(nowSeconds: number): void {
    for (const [nonce, expires] of this.#seenNonces) if (expires <= nowSeconds) this.#seenNonces.delete(nonce);
  }
}

/** Checks every signed request first; a failed signature is a 401 naming why. */
export function signedAgentCheck(agents: SignedAgents): MiddlewareHandler {
  return async (c, next) => {
    try {
      const signedBy = await agents.check(c.req.raw);
      if (signedBy) c.set('signedAgent', signedBy);
    } catch (error) {
      if (error instanceof SignatureCheckError) return c.json({ error: { code: 'bad_agent_signature', message: error.message } }, 401);
      throw error;
    }
    return next();
  };
}
