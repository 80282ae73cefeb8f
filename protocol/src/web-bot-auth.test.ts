import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSignature, signatureBase, signRequest } from './web-bot-auth.ts';

/**
 * The published Web Bot Auth test vectors (cloudflare/web-bot-auth test_data, in the workspace's
 * shared/specs, read where they are rather than copied: they hold private test keys). Ed25519 is
 * deterministic, so each vector's signature must come out byte for byte; RSA-PSS is salted, so its
 * vectors are checked by verifying them.
 */
const SPECS = resolve(import.meta.dirname, '../../../shared/specs/web-bot-auth/test_data');

interface Vector {
  key: JsonWebKey & { kid?: string; alg?: string };
  target_url: string;
  label: string;
  signature: string;
  signature_input: string;
  signature_agent?: string;
}
const vectors = (file: string): [string, Vector][] =>
  (JSON.parse(readFileSync(resolve(SPECS, file), 'utf8')) as Vector[]).map((v) => [`${file} ${v.key.kty} ${v.label}${v.signature_agent ? ' with Signature-Agent' : ''}`, v]);
const ALL = [...vectors('web_bot_auth_architecture_v1.json'), ...vectors('web_bot_auth_architecture_v2.json')];

const requestOf = (v: Vector) => ({
  method: 'GET',
  url: v.target_url,
  headers: new Headers({ ...(v.signature_agent ? { 'signature-agent': v.signature_agent } : {}), 'signature-input': v.signature_input, signature: v.signature }),
});

describe('Web Bot Auth signatures against the published vectors', () => {
  it('finds the vectors in shared/specs', () => {
    expect(ALL.filter(([, v]) => v.key.kty === 'OKP')).toHaveLength(4);
  });

  it.each(ALL.filter(([, v]) => v.key.kty === 'OKP'))('reproduces %s byte for byte', async (_, vector) => {
    const request = requestOf(vector);
    const { components, params } = readSignature(request.headers);
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: vector.key.d, x: vector.key.x }, 'Ed25519', false, ['sign']);
    const headers = await signRequest(request, { label: vector.label, components, params }, async (data) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, data)));
    expect(headers).toEqual({ 'Signature-Input': vector.signature_input, Signature: vector.signature });
  });

  it.each(ALL.filter(([, v]) => v.key.kty === 'RSA'))('verifies %s', async (_, vector) => {
    const request = requestOf(vector);
    const read = readSignature(request.headers);
    const { n, e } = vector.key;
    const key = await crypto.subtle.importKey('jwk', { kty: 'RSA', n, e }, { name: 'RSA-PSS', hash: 'SHA-512' }, false, ['verify']);
    const base = new TextEncoder().encode(signatureBase(request, read.components, read.params));
    expect(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 64 }, key, read.signature, base)).toBe(true);
    const altered = new TextEncoder().encode(signatureBase({ ...request, url: 'https://example.org/path/to/resource' }, read.components, read.params));
    expect(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 64 }, key, read.signature, altered)).toBe(false);
  });
});
