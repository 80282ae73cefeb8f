import { type Body, cardIn, withTokenCard } from '../checkout/card-body.ts';
import { askWallet } from './channel.ts';
import { isTokenCard, tokenCardFor } from './held-cards.ts';
import { after, apply } from './natives.ts';
import { holding } from './watch.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * Card numbers sent by script: `fetch`, `XMLHttpRequest`, `navigator.sendBeacon`
 * and `WebSocket.send`, the ways single-page checkouts (and their analytics)
 * send a card without submitting a form. On a watched page, a request whose
 * URL or body carries a card that is not the wallet's own token card is held
 * before it leaves; once the user (or their mandate) approves, it is sent with
 * the token's card in place of the agent's, and otherwise never sent at all.
 * Installed once the page is watched (watch.ts).
 */
const nativeOf = () => ({
  fetch: window.fetch,
  open: XMLHttpRequest.prototype.open,
  send: XMLHttpRequest.prototype.send,
  setRequestHeader: XMLHttpRequest.prototype.setRequestHeader,
  sendBeacon: Navigator.prototype.sendBeacon,
  socketSend: WebSocket.prototype.send,
});
/** Taken when the holds are installed (watch.ts says why not at load). */
let native: ReturnType<typeof nativeOf>;

/** Bodies larger than this are uploads, not checkouts: they are not read. */
const MAX_READ = 1 << 20;

type HeaderList = [string, string][];

/** The agent's card anywhere in a request: URL, body, or a header (`x-card-number: …`). */
function cardInRequest(url: string, body: Body, headers: HeaderList): string | null {
  return cardIn(url, body) ?? (headers.length ? cardIn('', new URLSearchParams(headers)) : null);
}

/** Null: send as it is. Otherwise the URL, body and headers with the token's card. Throws when the card must not leave. */
export async function release(url: string, body: Body, headers: HeaderList = []): Promise<{ url: string; body: Body; headers: HeaderList } | null> {
  const digits = cardInRequest(url, body, headers);
  if (!digits || isTokenCard(digits)) return null;
  const destination = URL.parse(url, location.href)?.origin ?? location.origin;
  const card = await tokenCardFor(digits, () => askWallet({ kind: 'card-request.held', checkoutId: randomId(), destination }));
  if (!card) throw new Error('the payment was not approved');
  const newHeaders = headers.length ? [...(withTokenCard('', new URLSearchParams(headers), card).body as URLSearchParams)] : headers;
  return { ...withTokenCard(url, body, card), headers: newHeaders };
}

/** A body read without waiting; undefined for what must be read asynchronously (a Blob) or not at all. */
function bodyNow(data: unknown): Body | undefined {
  if (data === null || data === undefined) return null;
  if (typeof data === 'string' || data instanceof URLSearchParams || data instanceof FormData) return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength > MAX_READ ? undefined : new TextDecoder().decode(data);
  if (data instanceof Document) return new XMLSerializer().serializeToString(data);
  return undefined;
}

async function bodyLater(data: unknown): Promise<Body | undefined> {
  const now = bodyNow(data);
  if (now !== undefined) return now;
  return data instanceof Blob && data.size <= MAX_READ ? data.text() : undefined;
}

function blocked(error: unknown): TypeError {
  return new TypeError(`AgentPay did not send this card: ${(error as Error)?.message ?? error}`);
}

function holdFetch(): void {
  window.fetch = async function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // Not known yet whether this page is watched (watch.ts): its early requests wait for the answer.
    let answer = holding();
    // Asked again after each wait: a page can make a wait end early, never change the answer.
    while (answer !== true && answer !== false) {
      await answer;
      answer = holding();
    }
    if (!answer) return apply(native.fetch, this, [input, init]);
    const request = new Request(input, init);
    const body = await requestBody(request, init?.body);
    const released = body === undefined ? null : await release(request.url, body, [...request.headers]).catch((error: unknown) => Promise.reject(blocked(error)));
    if (!released) return apply(native.fetch, this, [request]);
    const headers = new Headers(released.headers);
    if (released.body instanceof FormData) headers.delete('content-type'); // the new multipart body has its own boundary
    const { method, mode, credentials, cache, redirect, referrer, referrerPolicy, integrity, keepalive, signal } = request;
    return apply(native.fetch, this, [released.url, { method, headers, body: released.body, mode, credentials, cache, redirect, referrer, referrerPolicy, integrity, keepalive, signal }]);
  };
}

async function requestBody(request: Request, given: unknown): Promise<Body | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  if (given instanceof ReadableStream || (given instanceof Blob && given.size > MAX_READ)) return undefined;
  const type = request.headers.get('content-type') ?? '';
  const copy = request.clone();
  if (/multipart\/form-data/i.test(type)) return copy.formData().catch(() => request.clone().text());
  const text = await copy.text();
  return /x-www-form-urlencoded/i.test(type) ? new URLSearchParams(text) : text;
}

interface Opened {
  method: string;
  url: string;
  async: boolean;
  headers: [string, string][];
}
const opened = new WeakMap<XMLHttpRequest, Opened>();

function holdXhr(): void {
  XMLHttpRequest.prototype.open = function open(this: XMLHttpRequest, method: string, url: string | URL, async?: boolean, ...rest: unknown[]) {
    opened.set(this, { method, url: String(url), async: async !== false, headers: [] });
    return apply(native.open as (...args: unknown[]) => void, this, [method, url, async ?? true, ...rest]);
  } as typeof XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.setRequestHeader = function setRequestHeader(this: XMLHttpRequest, name: string, value: string) {
    opened.get(this)?.headers.push([name, value]);
    return apply(native.setRequestHeader, this, [name, value]);
  };
  XMLHttpRequest.prototype.send = function send(this: XMLHttpRequest, data?: Document | XMLHttpRequestBodyInit | null) {
    const state = opened.get(this);
    const answer = holding();
    if (answer === false || !state) return apply(native.send, this, [data]);
    const url = URL.parse(state.url, location.href)?.href ?? location.href;
    const now = bodyNow(data);
    const digits = now === undefined ? null : cardInRequest(url, now, state.headers);
    if (now !== undefined && (!digits || isTokenCard(digits))) return apply(native.send, this, [data]);
    // Sent again once the page knows whether it is watched; a synchronous one cannot wait, so it is held as watched.
    if (answer !== true && state.async) return void after(answer, () => apply(send, this, [data]));
    if (!state.async) {
      // A body it cannot read at once (a Blob) may carry a card as well as any other.
      throw new DOMException('AgentPay holds card checkouts made by an agent; a synchronous request that carries a card, or a body it cannot read at once, cannot wait for your approval', 'NetworkError');
    }
    void sendLater(this, state, url, data);
  };
}

async function sendLater(xhr: XMLHttpRequest, state: Opened, url: string, data: unknown): Promise<void> {
  try {
    const body = await bodyLater(data);
    const released = body === undefined ? null : await release(url, body, state.headers);
    if (!released) return apply(native.send, xhr, [data as XMLHttpRequestBodyInit]);
    if (released.url !== url || released.headers.some(([, value], i) => value !== state.headers[i]![1])) {
      // Opening again is the one way to change an XHR's URL or headers once set.
      apply(native.open, xhr, [state.method, released.url, true]);
      for (const [name, value] of released.headers) apply(native.setRequestHeader, xhr, [name, value]);
    }
    apply(native.send, xhr, [typeof released.body === 'string' && data instanceof Blob ? new Blob([released.body], { type: data.type }) : released.body]);
  } catch {
    // As a failed network request looks to the page; the wallet's notice says why.
    xhr.dispatchEvent(new ProgressEvent('error'));
    xhr.dispatchEvent(new ProgressEvent('loadend'));
  }
}

function holdBeacons(): void {
  Navigator.prototype.sendBeacon = function sendBeacon(this: Navigator, url: string | URL, data?: BodyInit | null) {
    const answer = holding();
    if (answer === false) return apply(native.sendBeacon, this, [url, data]);
    const href = URL.parse(String(url), location.href)?.href ?? String(url);
    const now = bodyNow(data);
    const digits = now === undefined ? null : cardIn(href, now);
    if (now !== undefined && (!digits || isTokenCard(digits))) return apply(native.sendBeacon, this, [url, data]);
    if (now === undefined && !(data instanceof Blob)) return apply(native.sendBeacon, this, [url, data]);
    if (answer !== true) {
      void after(answer, () => apply(sendBeacon, this, [url, data]));
      return true;
    }
    void (async () => {
      const body = await bodyLater(data);
      const released = body === undefined ? null : await release(href, body).catch(() => undefined);
      if (released === null) apply(native.sendBeacon, this, [url, data]);
      else if (released) apply(native.sendBeacon, this, [released.url, typeof released.body === 'string' && data instanceof Blob ? new Blob([released.body], { type: data.type }) : released.body]);
    })();
    return true; // queued, as the browser says of a beacon it will send later
  };
}

function holdSockets(): void {
  WebSocket.prototype.send = function send(this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    const answer = holding();
    const digits = answer !== false && typeof data === 'string' ? cardIn(this.url, data) : null;
    if (!digits || isTokenCard(digits)) return apply(native.socketSend, this, [data]);
    if (answer !== true && answer !== false) return void after(answer, () => apply(send, this, [data]));
    void release(this.url, data as string).then(
      (released) => this.readyState === WebSocket.OPEN && apply(native.socketSend, this, [(released?.body as string | undefined) ?? data]),
      () => undefined,
    );
  };
}

export function holdCardRequests(): void {
  native = nativeOf();
  holdFetch();
  holdXhr();
  holdBeacons();
  holdSockets();
}
