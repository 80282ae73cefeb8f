import type { RelayHttpClient } from './client.ts';

/**
 * HTTP Message Signatures (RFC 9421) as Web Bot Auth uses them: an agent's request to a merchant
 * carries `Signature-Input`, `Signature` and `Signature-Agent`, tag `web-bot-auth`, so the merchant
 * can check it against the keys the signature agent (the relay) publishes at
 * `/.well-known/http-message-signatures-directory`. Written against the published test vectors
 * (shared/specs/web-bot-auth): the `web-bot-auth` package builds no base for a component with a
 * `key` parameter (`"signature-agent";key="agent2"`), which the vectors use.
 */
export const WEB_BOT_AUTH_TAG = 'web-bot-auth';
export const SIGNATURE_DIRECTORY_PATH = '/.well-known/http-message-signatures-directory';
export const SIGNATURE_DIRECTORY_MEDIA_TYPE = 'application/http-message-signatures-directory+json';
/** What an AgentPay agent's signature covers: where, how and what it asked, and who vouches for it. */
export const AGENT_REQUEST_COMPONENTS: SignatureComponent[] = [{ name: '@authority' }, { name: '@method' }, { name: '@path' }, { name: 'signature-agent' }];

/** A covered component: a derived one (`@authority`) or a header, optionally one member of a dictionary header (`key`). */
export interface SignatureComponent {
  name: string;
  key?: string;
}

/** The signature's parameters, in the order they are written. */
export interface SignatureParams {
  created: number;
  keyid: string;
  alg: string;
  expires: number;
  nonce?: string;
  tag: string;
}

/** The parts of a request a signature can cover. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Headers;
}

/** Why a signed request is not accepted; the message says what was wrong. */
export class SignatureCheckError extends Error {
  override name = 'SignatureCheckError';
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function serializeComponent(component: SignatureComponent): string {
  return `${quote(component.name)}${component.key !== undefined ? `;key=${quote(component.key)}` : ''}`;
}

/** `("@authority" …);created=…;keyid="…";…` */
export function serializeSignatureParams(components: SignatureComponent[], params: SignatureParams): string {
  const list = `(${components.map(serializeComponent).join(' ')})`;
  const parts = [`created=${params.created}`, `keyid=${quote(params.keyid)}`, `alg=${quote(params.alg)}`, `expires=${params.expires}`];
  if (params.nonce !== undefined) parts.push(`nonce=${quote(params.nonce)}`);
  parts.push(`tag=${quote(params.tag)}`);
  return [list, ...parts].join(';');
}

function componentValue(request: SignableRequest, component: SignatureComponent): string {
  const url = new URL(request.url);
  switch (component.name) {
    case '@authority': return url.host.toLowerCase();
    case '@method': return request.method.toUpperCase();
    case '@path': return url.pathname || '/';
    case '@target-uri': return url.href;
    case '@query': return url.search || '?';
  }
  if (component.name.startsWith('@')) throw new SignatureCheckError(`the component ${component.name} is not one this signer knows`);
  const header = request.headers.get(component.name);
  if (header === null) throw new SignatureCheckError(`the signed header ${component.name} is missing from the request`);
  if (component.key === undefined) return header.trim();
  const member = dictionaryMember(header, component.key);
  if (member === undefined) throw new SignatureCheckError(`the header ${component.name} has no member ${component.key}`);
  return member;
}

/** The RFC 9421 signature base: one line per component, then `"@signature-params"`. */
export function signatureBase(request: SignableRequest, components: SignatureComponent[], params: SignatureParams): string {
  const lines = components.map((c) => `${serializeComponent(c)}: ${componentValue(request, c)}`);
  lines.push(`"@signature-params": ${serializeSignatureParams(components, params)}`);
  return lines.join('\n');
}

/** Signs a request: the three headers to add. `sign` is the key's raw signature over the base's UTF-8 bytes. */
export async function signRequest(
  request: SignableRequest,
  input: { label: string; components: SignatureComponent[]; params: SignatureParams },
  sign: (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array> | Uint8Array,
): Promise<{ 'Signature-Input': string; Signature: string }> {
  const base = signatureBase(request, input.components, input.params);
  const signature = await sign(new TextEncoder().encode(base));
  return {
    'Signature-Input': `${input.label}=${serializeSignatureParams(input.components, input.params)}`,
    Signature: `${input.label}=:${toBase64(signature)}:`,
  };
}

/** One signature of a request, read from its headers. */
export interface ReadSignature {
  label: string;
  components: SignatureComponent[];
  params: SignatureParams;
  signature: Uint8Array<ArrayBuffer>;
}

/** Reads the `web-bot-auth` signature of a request; throws SignatureCheckError naming what is malformed. */
export function readSignature(headers: Headers): ReadSignature {
  const input = headers.get('signature-input');
  const signatures = headers.get('signature');
  if (!input || !signatures) throw new SignatureCheckError('the request carries no Signature-Input and Signature');
  for (const member of splitTopLevel(input, ',')) {
    const eq = member.indexOf('=');
    const label = member.slice(0, eq).trim();
    const parsed = parseInnerListWithParams(member.slice(eq + 1).trim());
    if (parsed.params.tag !== WEB_BOT_AUTH_TAG) continue;
    const bytes = dictionaryMember(signatures, label);
    if (!bytes || !/^:[A-Za-z0-9+/=]*:$/.test(bytes)) throw new SignatureCheckError(`Signature has no byte sequence for ${label}`);
    const { created, expires, keyid, alg, nonce, tag } = parsed.params;
    if (typeof created !== 'number' || typeof expires !== 'number' || typeof keyid !== 'string' || typeof alg !== 'string') {
      throw new SignatureCheckError(`Signature-Input ${label} lacks created, expires, keyid or alg`);
    }
    return {
      label,
      components: parsed.items,
      params: { created, keyid, alg, expires, ...(typeof nonce === 'string' ? { nonce } : {}), tag: String(tag) },
      signature: fromBase64(bytes.slice(1, -1)),
    };
  }
  throw new SignatureCheckError(`no signature tagged ${WEB_BOT_AUTH_TAG}`);
}

/**
 * A fetch whose every request carries the relay's Web Bot Auth signature for this agent: the relay
 * signs (it holds the key its directory publishes, and refuses a revoked agent at once).
 */
export function agentSignedFetch(relay: RelayHttpClient, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { headers } = await relay.post<{ headers: Record<string, string> }>('/v1/agents/me/request-signatures', { method: request.method, url: request.url });
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return base(request);
  };
}

// --- Structured field fragments (RFC 8941), as far as these headers need them. ---

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** The raw value of `key` in a dictionary header, e.g. `agent2="https://…"` → `"https://…"`. */
function dictionaryMember(header: string, key: string): string | undefined {
  for (const member of splitTopLevel(header, ',')) {
    const eq = member.indexOf('=');
    if (eq > 0 && member.slice(0, eq).trim() === key) return member.slice(eq + 1).trim();
  }
  return undefined;
}

function parseString(text: string): string {
  if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new SignatureCheckError(`not a string: ${text.slice(0, 40)}`);
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

function parseBareItem(text: string): string | number {
  if (text.startsWith('"')) return parseString(text);
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  if (/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]*$/.test(text)) return text;
  throw new SignatureCheckError(`not a structured field item: ${text.slice(0, 40)}`);
}

function parseInnerListWithParams(text: string): { items: SignatureComponent[]; params: Record<string, string | number> } {
  const close = text.indexOf(')');
  if (!text.startsWith('(') || close < 0) throw new SignatureCheckError('Signature-Input is not an inner list');
  const items = splitTopLevel(text.slice(1, close), ' ').map((item) => {
    const [name, ...itemParams] = splitTopLevel(item, ';');
    const component: SignatureComponent = { name: parseString(name!) };
    for (const param of itemParams) {
      const [k, v] = [param.slice(0, param.indexOf('=')), param.slice(param.indexOf('=') + 1)];
      if (k === 'key') component.key = parseString(v);
      else throw new SignatureCheckError(`component parameter ${k} is not supported`);
    }
    return component;
  });
  const params: Record<string, string | number> = {};
  for (const param of splitTopLevel(text.slice(close + 1), ';')) {
    const eq = param.indexOf('=');
    params[param.slice(0, eq)] = parseBareItem(param.slice(eq + 1));
  }
  return { items, params };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new SignatureCheckError('the signature is not base64');
  }
}

/** What a merchant requires of an agent's signature besides its validity. */
export interface SignatureCheck {
  /** Checks the raw signature over the base with the key `params.keyid` names (and `params.alg`). */
  verify(base: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>, params: SignatureParams): Promise<boolean>;
  /** Seconds since the epoch. */
  now: number;
  /** Components the signature must cover (default AGENT_REQUEST_COMPONENTS). */
  required?: SignatureComponent[];
  /** Longest validity a signature may claim, in seconds (default 300). */
  maxLifetimeSeconds?: number;
}

/** Checks an agent's signed request; throws SignatureCheckError saying why it is refused. */
export async function checkRequestSignature(request: SignableRequest, check: SignatureCheck): Promise<ReadSignature> {
  const read = readSignature(request.headers);
  const { created, expires } = read.params;
  if (expires <= check.now) throw new SignatureCheckError(`the signature expired at ${new Date(expires * 1000).toISOString()}`);
  if (created > check.now + 60) throw new SignatureCheckError('the signature was made in the future');
  if (expires - created > (check.maxLifetimeSeconds ?? 300)) throw new SignatureCheckError('the signature claims too long a life');
  for (const needed of check.required ?? AGENT_REQUEST_COMPONENTS) {
    if (!read.components.some((c) => c.name === needed.name)) throw new SignatureCheckError(`the signature does not cover ${needed.name}`);
  }
  const base = new TextEncoder().encode(signatureBase(request, read.components, read.params));
  if (!(await check.verify(base, read.signature, read.params))) throw new SignatureCheckError('the signature does not match the request');
  return read;
}

/** 64 random bytes, base64: a nonce as Web Bot Auth signers write it. */
export function generateNonceBase64(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(64)));
}
