import { ErrorBody, ProtocolError, type ErrorCode } from './errors.ts';
import { randomString } from './ids.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signHttpRequest } from './requests.ts';

/** Whoever signs: a registered id with its private key. */
export interface Signer {
  id: string;
  privateKey: CryptoKey;
}

export interface RequestOptions {
  /** Defaults to a fresh random key for POST, PUT and PATCH; pass one to retry safely. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * A signed HTTP client for the relay's v1 API, usable from Node, browsers,
 * extensions and devices alike (it needs only fetch and WebCrypto).
 * Failures throw ProtocolError with the relay's code and message.
 */
export class RelayHttpClient {
  constructor(
    readonly baseUrl: string,
    readonly signer: Signer | undefined,
    readonly options: {
      fetch?: typeof fetch;
      /** Clock for signature timestamps, e.g. corrected for a known skew. */
      now?: () => number;
    } = {},
  ) {}

  /** The same client, signing as someone else (e.g. a key being registered). */
  as(signer: Signer): RelayHttpClient {
    return new RelayHttpClient(this.baseUrl, signer, this.options);
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, body, options);
  }

  put<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, body, options);
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, body, options);
  }

  /** Sends one request and returns the raw Response (for streams and status checks). */
  async send(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (text) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers[IDEMPOTENCY_HEADER] = options.idempotencyKey ?? `idem_${randomString(24)}`;
    if (this.signer) {
      headers[SIGNATURE_HEADER] = await signHttpRequest({
        method, path, body: text, privateKey: this.signer.privateKey, kid: this.signer.id, now: this.options.now?.(),
      });
    }
    const fetchImpl = this.options.fetch ?? globalThis.fetch;
    return fetchImpl(new URL(path, this.baseUrl), { method, headers, body: text || undefined, signal: options.signal });
  }

  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, body, options);
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) {
        const { code, message, details } = parsed.data.error;
        throw new ProtocolError(code as ErrorCode, message, response.status, details);
      }
      throw new ProtocolError('internal_error', `${method} ${path} answered ${response.status}`, response.status);
    }
    return json as T;
  }
}
