import type { Channel } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { type Claimant, checkClaims } from './claims.ts';

const agent: Claimant = { kind: 'agent', profile: null };
const device = (profile: Claimant['profile']): Claimant => ({ kind: 'device', profile });

describe('checkClaims', () => {
  it.each<[string, Claimant, Channel, boolean | undefined, string | null]>([
    ['an agent in a browser', agent, 'browser', undefined, null],
    ['an agent through the API', agent, 'api', false, null],
    ['an agent claiming a scan', agent, 'device-scan', undefined, 'channel'],
    ['an agent claiming voice', agent, 'device-voice', undefined, 'channel'],
    ['an agent claiming to drive', agent, 'api', true, 'context.driving'],
    ['a cockpit scanning while driving', device('cockpit'), 'device-scan', true, null],
    ['a cockpit claiming a browser', device('cockpit'), 'browser', undefined, 'channel'],
    ['glasses scanning', device('glasses'), 'device-scan', false, null],
    ['glasses claiming to drive', device('glasses'), 'device-scan', true, 'context.driving'],
    ['earphones by voice', device('earphones'), 'device-voice', undefined, null],
    ['earphones claiming a scan', device('earphones'), 'device-scan', undefined, 'channel'],
    ['earphones claiming to drive', device('earphones'), 'device-voice', true, 'context.driving'],
    ['a device with no profile scanning', device(null), 'device-scan', undefined, null],
  ])('%s', (_name, signer, channel, driving, refusedField) => {
    const check = () => checkClaims(signer, { channel, context: driving === undefined ? {} : { driving } });
    if (refusedField === null) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ status: 422, details: [expect.objectContaining({ path: refusedField })] }));
  });
});
