import {
  type Intent, type PasskeyAssertion, passkeyChallenge, ProtocolError, signCanonical, stepUpChallenge, type WalletSettings,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { otherS, reencoded, softAuthenticator } from './webauthn.ts';

const ORIGIN = 'chrome-extension://agentpaywalletextensionidabcdefgh';
const LOW = [{ minor: 100_00, currency: 'CNY' }];
const HIGH = [{ minor: 1_000_00, currency: 'CNY' }];

/** Two ways to send a recorded assertion again so that it looks new to a text comparison. */
const DISGUISES: [string, (a: PasskeyAssertion) => PasskeyAssertion][] = [
  ['its bytes re-encoded', (a) => ({ ...a, authenticatorData: reencoded(a.authenticatorData) })],
  ['its signature rewritten as (r, n − s)', (a) => ({ ...a, signature: otherS(a.signature) })],
];

describe.each(STORES)('a used passkey assertion, replayed, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  /** A wallet of its own with a passkey and a 100.00 CNY step-up threshold, and an agent that must ask. */
  async function walletWithPasskey() {
    const parties = await setUpParties(relay);
    const authenticator = softAuthenticator({ rpId: 'agentpaywalletextensionidabcdefgh', origin: ORIGIN });
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
    await parties.wallet.client.put('/v1/wallet/step-up', { thresholds: LOW });
    await parties.wallet.client.put('/v1/wallet/passkey', { passkey: authenticator.passkey });
    return { ...parties, authenticator };
  }

  it.each(DISGUISES)('cannot restore a higher threshold the user lowered, with %s', async (_name, disguise) => {
    const { wallet, agent, merchant, authenticator } = await walletWithPasskey();
    const raise = authenticator.assert(await stepUpChallenge(wallet.record.id, HIGH));
    await wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: raise });
    await wallet.client.put('/v1/wallet/step-up', { thresholds: LOW, assertion: authenticator.assert(await stepUpChallenge(wallet.record.id, LOW)) });

    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: disguise(raise) })).rejects.toBeInstanceOf(ProtocolError);
    expect((await wallet.client.get<WalletSettings>('/v1/wallet')).stepUp.thresholds).toEqual(LOW);

    // What the user would notice: a 500.00 CNY payment still needs their passkey.
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 500_00));
    const claims = { type: 'agentpay.approval.v1', intentId: intent.id, decision: 'approve', merchantId: intent.merchantId, amount: intent.amount, lineItems: intent.lineItems, category: intent.category };
    const jws = await signCanonical(claims, wallet.signer.privateKey, wallet.record.id);
    await expect(wallet.client.post(`/v1/intents/${intent.id}/confirmation`, { jws })).rejects.toMatchObject({ code: 'step_up_required' });
  });

  it.each(DISGUISES)('cannot put back a passkey the user replaced, with %s', async (_name, disguise) => {
    const { wallet, authenticator: first } = await walletWithPasskey();
    const second = softAuthenticator({ rpId: first.passkey.rpId, origin: ORIGIN });
    const toSecond = first.assert(await passkeyChallenge(wallet.record.id, second.passkey));
    await wallet.client.put('/v1/wallet/passkey', { passkey: second.passkey, assertion: toSecond });
    await wallet.client.put('/v1/wallet/passkey', { passkey: first.passkey, assertion: second.assert(await passkeyChallenge(wallet.record.id, first.passkey)) });

    await expect(wallet.client.put('/v1/wallet/passkey', { passkey: second.passkey, assertion: disguise(toSecond) })).rejects.toBeInstanceOf(ProtocolError);
    expect((await wallet.client.get<WalletSettings>('/v1/wallet')).passkey!.credentialId).toBe(first.passkey.credentialId);
  });
});
