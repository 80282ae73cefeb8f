import { approvalChallenge, isCanonicalBase64url } from '@agentpay/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stepUp } from './passkey.ts';

const bytes = (...values: number[]) => new Uint8Array(values).buffer;
const text = (buffer: BufferSource) => Buffer.from(buffer as ArrayBuffer).toString('base64url');

afterEach(() => vi.unstubAllGlobals());

describe('a step-up from the extension', () => {
  it('asks the relay for a fresh challenge, then the passkey over what is approved and that challenge', async () => {
    const post = vi.fn(async (_path: string, _body: unknown) => ({ id: 'stc_0123456789abcdefghjkmnpqrstvwxyz', expiresAt: new Date().toISOString() }));
    const get = vi.fn(async (_options: CredentialRequestOptions) => ({
      rawId: bytes(1, 2, 3, 4),
      response: { authenticatorData: bytes(5, 6, 7, 8, 9), clientDataJSON: bytes(10, 11), signature: bytes(48, 1, 2) },
    }));
    vi.stubGlobal('navigator', { credentials: { get } });

    const assertion = await stepUp({ post }, 'AQIDBA', (id) => approvalChallenge(id, 'the.approval.jws'));

    expect(post).toHaveBeenCalledWith('/v1/wallet/step-up/challenges', {});
    const asked = get.mock.calls[0]![0].publicKey!;
    expect(text(asked.challenge)).toBe(await approvalChallenge('stc_0123456789abcdefghjkmnpqrstvwxyz', 'the.approval.jws'));
    expect(asked.userVerification).toBe('required');
    expect(text(asked.allowCredentials![0]!.id)).toBe('AQIDBA');
    expect(assertion).toEqual({
      challengeId: 'stc_0123456789abcdefghjkmnpqrstvwxyz', credentialId: 'AQIDBA', authenticatorData: 'BQYHCAk', clientDataJSON: 'Cgs', signature: 'MAEC',
    });
    // The one spelling of each value the relay accepts.
    for (const value of Object.values(assertion)) if (value !== assertion.challengeId) expect(isCanonicalBase64url(value)).toBe(true);
  });

  it('asks no passkey when the relay gives no challenge', async () => {
    const get = vi.fn();
    vi.stubGlobal('navigator', { credentials: { get } });
    const post = vi.fn(async (_path: string, _body: unknown) => Promise.reject(new Error('relay unreachable')));
    await expect(stepUp({ post }, 'AQIDBA', async () => 'x')).rejects.toThrow('relay unreachable');
    expect(get).not.toHaveBeenCalled();
  });
});
