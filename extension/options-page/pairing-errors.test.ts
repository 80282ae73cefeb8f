import { ProtocolError } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { pairingFailure, passkeyFailure, relayOrigin } from './pairing-errors.ts';

const RELAY = 'http://127.0.0.1:8787';

describe('what the pairing form says when pairing fails', () => {
  it.each([
    ['a wrong code', new ProtocolError('forbidden', 'the pairing code is wrong: use the one the relay printed last', 403), 'The pairing code is wrong: use the one the relay printed last. Nothing was paired.'],
    ['an expired code', new ProtocolError('forbidden', 'this pairing code has expired: use the new code the relay printed', 403), 'This pairing code has expired: use the new code the relay printed. Nothing was paired.'],
    ['too many tries', new ProtocolError('rate_limited', 'too many wrong pairing codes came from this address: pairing is refused for 40 s, even with the right code; try again after that', 429), 'Too many wrong pairing codes came from this address: pairing is refused for 40 s, even with the right code; try again after that. Nothing was paired.'],
    ['a relay nobody runs', new TypeError('Failed to fetch'), `The relay is not reachable at ${RELAY}: check that it is running (npm start prints its address) and that the URL is right, then press Pair again.`],
  ])('%s', (_, error, sentence) => {
    expect(pairingFailure(error, RELAY)).toBe(sentence);
  });

  it('never shows "Failed to fetch" alone', () => {
    expect(pairingFailure(new TypeError('Failed to fetch'), RELAY)).not.toContain('Failed to fetch');
  });

  it('refuses a relay URL that is not a web address, saying what one looks like', () => {
    expect(relayOrigin(' http://127.0.0.1:8787/some/path ')).toBe(RELAY);
    expect(() => relayOrigin('127.0.0.1:8787')).toThrow('is not a relay address: enter one such as http://127.0.0.1:8787');
    expect(() => relayOrigin('ftp://relay')).toThrow('is not a relay address');
  });

  it('says why a passkey was not added', () => {
    expect(passkeyFailure(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'))).toBe('the passkey prompt was cancelled or timed out');
    expect(passkeyFailure(new TypeError('Failed to fetch'))).toBe('the relay could not be reached to register it');
  });
});
