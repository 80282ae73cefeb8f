import { ProtocolError } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { errorInfo } from './errors.ts';

describe('errorInfo', () => {
  it.each([
    ['relay refusal', new ProtocolError('agent_revoked', 'agt_1 was revoked', 409), { code: 'agent_revoked', message: 'agt_1 was revoked' }],
    ['relay refusal with details', new ProtocolError('invalid_request', 'bad', 400, [{ path: 'status', message: 'x' }]),
      { code: 'invalid_request', message: 'bad', details: [{ path: 'status', message: 'x' }] }],
    ['background reply error', { code: 'not_paired', message: 'pair first' }, { code: 'not_paired', message: 'pair first' }],
    ['fetch failure', new TypeError('Failed to fetch'), { code: 'network_error', message: 'the relay could not be reached (Failed to fetch)' }],
    ['plain error', new Error('boom'), { code: 'error', message: 'boom' }],
    ['anything else', 'weird', { code: 'error', message: 'weird' }],
  ])('%s', (_name, error, info) => {
    expect(errorInfo(error)).toEqual(info);
  });
});
