import {
  approvalChallenge, type Intent, resumeChallenge, type IssuedStepUpChallenge, type PasskeyAssertion, passkeyChallenge, ProtocolError, signCanonical,
  stepUpChallenge, type Wallet, type WalletSettings,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { otherS, reencoded, softAuthenticator } from './webauthn.ts';

const ORIGIN = 'chrome-extension://agentpaywalletextensionidabcdefgh';
const LOW = [{ minor: 100_00, currency: 'CNY' }];
const HIGH = [{ minor: 1_000_00, currency: 'CNY' }];

/** Two ways to send a recorded assertion again so that it looks new to a text comparison. */
const DISGUISES: [string, (a: PasskeyAssertion) => PasskeyAssertion][] = [
  ['its bytes re-encoded', (a) => ({ ...a, authenticatorData: reencoded(a.authenticatorData) })],
  ['its signature rewritten as (r, n − s)', (a) => ({ ...a, signature: otherS(a.signature) })],
];

async function approvalJws(wallet: Party<Wallet>, intent: Intent): Promise<string> {
  const claims = {
    type: 'agentpay.approval.v1', intentId: intent.id, decision: 'approve', merchantId: intent.merchantId,
    amount: intent.amount, lineItems: intent.lineItems, category: intent.category,
  };
  return signCanonical(claims, wallet.signer.privateKey, wallet.record.id);
}

describe.each(STORES)('step-up assertions are accepted once, on %s', (store) => {
  let relay: Relay;
  /** The relay's clock runs this far ahead of the real one; tests that move it put it back. */
  let ahead = 0;
  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => new Date(Date.now() + ahead) });
  });
  afterAll(() => dropSchema(relay));

  /** A wallet of its own with a passkey and a 100.00 CNY step-up threshold, and an agent that must ask. */
  async function walletWithPasskey() {
    const parties = await setUpParties(relay);
    const authenticator = softAuthenticator({ rpId: 'agentpaywalletextensionidabcdefgh', origin: ORIGIN });
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
    await parties.wallet.client.put('/v1/wallet/step-up', { thresholds: LOW });
    await parties.wallet.client.put('/v1/wallet/passkey', { passkey: authenticator.passkey });
    const thresholds = async () => (await parties.wallet.client.get<WalletSettings>('/v1/wallet')).stepUp.thresholds;
    const challenge = () => parties.wallet.client.post<IssuedStepUpChallenge>('/v1/wallet/step-up/challenges', {});
    return { ...parties, authenticator, thresholds, challenge };
  }

  it.each(DISGUISES)('a recorded thresholds assertion cannot restore a higher threshold the user lowered, with %s', async (_name, disguise) => {
    const { wallet, agent, merchant, authenticator, thresholds } = await walletWithPasskey();
    const raise = await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, HIGH));
    await wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: raise });
    await wallet.client.put('/v1/wallet/step-up', { thresholds: LOW, assertion: await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, LOW)) });

    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: disguise(raise) })).rejects.toBeInstanceOf(ProtocolError);
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: raise })).rejects.toMatchObject({ code: 'step_up_failed' });
    expect(await thresholds()).toEqual(LOW);

    // What the user would notice: a 500.00 CNY payment still needs their passkey.
    const intent = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 500_00));
    await expect(wallet.client.post(`/v1/intents/${intent.id}/confirmation`, { jws: await approvalJws(wallet, intent) })).rejects.toMatchObject({ code: 'step_up_required' });
  });

  it.each(DISGUISES)('a recorded passkey-replacement assertion cannot put back a passkey the user replaced, with %s', async (_name, disguise) => {
    const { wallet, authenticator: first } = await walletWithPasskey();
    const second = softAuthenticator({ rpId: first.passkey.rpId, origin: ORIGIN });
    const toSecond = await first.stepUp(wallet.client, (id) => passkeyChallenge(id, wallet.record.id, second.passkey));
    await wallet.client.put('/v1/wallet/passkey', { passkey: second.passkey, assertion: toSecond });
    await wallet.client.put('/v1/wallet/passkey', { passkey: first.passkey, assertion: await second.stepUp(wallet.client, (id) => passkeyChallenge(id, wallet.record.id, first.passkey)) });

    await expect(wallet.client.put('/v1/wallet/passkey', { passkey: second.passkey, assertion: disguise(toSecond) })).rejects.toBeInstanceOf(ProtocolError);
    await expect(wallet.client.put('/v1/wallet/passkey', { passkey: second.passkey, assertion: toSecond })).rejects.toMatchObject({ code: 'step_up_failed' });
    expect((await wallet.client.get<WalletSettings>('/v1/wallet')).passkey!.credentialId).toBe(first.passkey.credentialId);
  });

  it('resuming a paused agent needs the passkey, so a paused agent cannot be set paying again by whoever holds the wallet key', async () => {
    const { wallet, agent, merchant, authenticator } = await walletWithPasskey();
    await wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' });
    await expect(wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'active' })).rejects.toMatchObject({ status: 403, code: 'step_up_required' });
    // An assertion over another purpose (here: raising the thresholds) does not resume it either.
    const wrong = await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, HIGH));
    await expect(wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'active', passkey: wrong })).rejects.toMatchObject({ code: 'step_up_failed' });
    const paused = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00));
    expect(paused.status).toBe('declined');
    const right = await authenticator.stepUp(wallet.client, (id) => resumeChallenge(id, wallet.record.id, agent.record.id));
    await expect(wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'active', passkey: right })).resolves.toMatchObject({ status: 'active' });
    // Pausing (and revoking) never needs it: stopping an agent must stay one click.
    await expect(wallet.client.patch(`/v1/wallet/actors/${agent.record.id}`, { status: 'paused' })).resolves.toMatchObject({ status: 'paused' });
  });

  it('issues challenges to wallets only, each different, valid for a few minutes', async () => {
    const { agent, challenge } = await walletWithPasskey();
    const [one, two] = [await challenge(), await challenge()];
    expect(one.id).not.toBe(two.id);
    const validFor = new Date(one.expiresAt).getTime() - relay.ctx.now().getTime();
    expect(validFor).toBeGreaterThan(60_000);
    expect(validFor).toBeLessThanOrEqual(10 * 60_000);
    await expect(agent.client.post('/v1/wallet/step-up/challenges', {})).rejects.toMatchObject({ status: 403 });
  });

  it('refuses an assertion that names no relay-issued challenge, naming the field', async () => {
    const { wallet, authenticator, thresholds } = await walletWithPasskey();
    const { challengeId: _, ...bare } = await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, HIGH));
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: bare })).rejects.toMatchObject({
      code: 'invalid_request', status: 400, message: expect.stringContaining('assertion.challengeId'),
    });
    expect(await thresholds()).toEqual(LOW);
  });

  it('refuses an expired challenge', async () => {
    const { wallet, authenticator, thresholds, challenge } = await walletWithPasskey();
    const issued = await challenge();
    const assertion = await authenticator.assertOver(issued.id, (id) => stepUpChallenge(id, wallet.record.id, HIGH));
    ahead = new Date(issued.expiresAt).getTime() - Date.now() + 1000;
    try {
      await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion })).rejects.toMatchObject({
        code: 'step_up_failed', status: 403, message: expect.stringContaining('expired'),
      });
    } finally {
      ahead = 0;
    }
    expect(await thresholds()).toEqual(LOW);
  });

  it('refuses a challenge the second time, even with a fresh assertion over it', async () => {
    const { wallet, authenticator, thresholds, challenge } = await walletWithPasskey();
    const { id } = await challenge();
    await wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: await authenticator.assertOver(id, (c) => stepUpChallenge(c, wallet.record.id, HIGH)) });
    const again = await authenticator.assertOver(id, (c) => stepUpChallenge(c, wallet.record.id, LOW));
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: LOW, assertion: again })).rejects.toMatchObject({
      code: 'step_up_failed', message: expect.stringContaining('already used'),
    });
    expect(await thresholds()).toEqual(HIGH);
  });

  it('a refused step-up leaves its challenge unused', async () => {
    const { wallet, authenticator, thresholds, challenge } = await walletWithPasskey();
    const { id } = await challenge();
    const wrongOrigin = await authenticator.assertOver(id, (c) => stepUpChallenge(c, wallet.record.id, HIGH), { origin: 'https://evil.example' });
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: wrongOrigin })).rejects.toMatchObject({ code: 'step_up_failed' });
    await wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: await authenticator.assertOver(id, (c) => stepUpChallenge(c, wallet.record.id, HIGH)) });
    expect(await thresholds()).toEqual(HIGH);
  });

  it('of many uses of one challenge at the same moment, at most one succeeds', async () => {
    const { wallet, agent, merchant, authenticator, thresholds, challenge } = await walletWithPasskey();
    // Above every threshold tried below, so each approval needs the passkey whichever change lands first.
    const intents = await Promise.all([1, 2, 3].map(() => agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_000_00))));
    const { id } = await challenge();
    const choices = [2_000_00, 3_000_00, 4_000_00].map((minor) => [{ minor, currency: 'CNY' }]);
    const changes = await Promise.all(choices.map(async (t) => ({ thresholds: t, assertion: await authenticator.assertOver(id, (c) => stepUpChallenge(c, wallet.record.id, t)) })));
    const approvals = await Promise.all(intents.map(async (intent) => {
      const jws = await approvalJws(wallet, intent);
      return { jws, passkey: await authenticator.assertOver(id, (c) => approvalChallenge(c, jws)) };
    }));
    const attempts = await Promise.allSettled([
      ...changes.map((body) => wallet.client.put('/v1/wallet/step-up', body)),
      ...approvals.map((body, i) => wallet.client.post(`/v1/intents/${intents[i]!.id}/confirmation`, body)),
    ]);

    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) {
      expect(lost.reason).toMatchObject({ code: 'step_up_failed', message: expect.stringContaining('already used') });
    }
    const changed = choices.filter((_t, i) => attempts[i]!.status === 'fulfilled');
    expect(await thresholds()).toEqual(changed[0] ?? LOW);
    const statuses = await Promise.all(intents.map(async (i) => (await wallet.client.get<Intent>(`/v1/intents/${i.id}`)).status));
    expect(statuses.filter((s) => s === 'approved')).toHaveLength(changed.length === 0 ? 1 : 0);
  });

  it("refuses a challenge issued to another wallet, even with this wallet's own passkey", async () => {
    const mine = await walletWithPasskey();
    const theirs = await walletWithPasskey();
    const { id } = await theirs.challenge();
    const assertion = await mine.authenticator.assertOver(id, (c) => stepUpChallenge(c, mine.wallet.record.id, HIGH));
    await expect(mine.wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion })).rejects.toMatchObject({
      code: 'step_up_failed', message: expect.stringContaining('issued no step-up challenge'),
    });
    expect(await mine.thresholds()).toEqual(LOW);
    // Still good for the wallet it was issued to.
    await theirs.wallet.client.put('/v1/wallet/step-up', { thresholds: HIGH, assertion: await theirs.authenticator.assertOver(id, (c) => stepUpChallenge(c, theirs.wallet.record.id, HIGH)) });
    expect(await theirs.thresholds()).toEqual(HIGH);
  });
});
