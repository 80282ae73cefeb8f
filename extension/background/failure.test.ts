import { ERROR_CODES, ProtocolError } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { CheckoutFailure, describeFailure, FAILURE_SENTENCES } from './failure.ts';

/** One plain sentence per failure: what happened, whether anything was paid, what to do. */
describe('what a user reads when something fails', () => {
  const cases: [name: string, error: unknown, code: string, says: RegExp][] = [
    ['the relay is down (Chrome)', new TypeError('Failed to fetch'), 'relay_unreachable', /relay \(http:\/\/127\.0\.0\.1:8787\) cannot be reached, so nothing was paid\. Check/],
    ['the relay is down (Firefox)', new TypeError('NetworkError when attempting to fetch resource.'), 'relay_unreachable', /cannot be reached, so nothing was paid/],
    ['the request expired', new ProtocolError('confirmation_expired', 'the confirmation of intent int_1 expired at 2026-01-01T00:00:00Z', 409), 'confirmation_expired', /^This request expired .* nothing was paid\. Ask the agent/],
    ['answered elsewhere', new ProtocolError('intent_not_pending', 'intent int_1 is approved', 409), 'intent_not_pending', /already answered .* nothing more was paid/],
    ['the passkey failed', new ProtocolError('step_up_failed', 'assertion did not verify', 403), 'step_up_failed', /passkey could not be checked.*nothing was paid\. Try Approve again/],
    ['the agent was paused', new ProtocolError('agent_paused', 'agent act_1 is paused', 403), 'agent_paused', /paused.*nothing was paid.*Resume it/],
    ['the database is down', new ProtocolError('store_unavailable', 'the store is unavailable', 503), 'store_unavailable', /nothing was paid\. Try again/],
    ['the shop refused the token', new CheckoutFailure('merchant_refused', 'the merchant refused the payment (402): declined'), 'merchant_refused', /shop refused the payment, so nothing was paid/],
    ['not paired', Object.assign(new Error('AgentPay is not paired'), { code: 'not_paired' }), 'not_paired', /not paired.*nothing was paid\. Open its options page/],
    ['an unknown relay code', new ProtocolError('invalid_request', 'amount: must be positive', 400), 'invalid_request', /^Amount: must be positive\. Nothing was paid\.$/],
    ['a fault of the extension, not the network', new TypeError('Error in invocation of tabs.get(integer tabId): Value must be at least 0.'), 'internal_error', /^Error in invocation of tabs\.get/],
    ['the relay is down (Node/undici)', new TypeError('fetch failed'), 'relay_unreachable', /cannot be reached, so nothing was paid/],
    ['the extension stopped a checkout', new CheckoutFailure('no_total', 'the page shows no total'), 'no_total', /^the page shows no total$/],
  ];
  it.each(cases)('%s', (_name, error, code, says) => {
    const failure = describeFailure(error, 'http://127.0.0.1:8787');
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(says);
    expect(failure.message).not.toMatch(/^(Failed to fetch|NetworkError)/);
  });

  it('says whether anything was paid for every relay code a confirmation can meet', () => {
    for (const code of ERROR_CODES) {
      const { message } = describeFailure(new ProtocolError(code, `${code} happened`, 400));
      expect(message, code).toMatch(/nothing (more )?was paid/i);
    }
    for (const message of Object.values(FAILURE_SENTENCES)) expect(message).toMatch(/^[A-Z].*\.$/);
  });
});
