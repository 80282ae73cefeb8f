import {
  approvalChallenge, type ConfirmationRequest, generateSigningKey, type Intent, type IssuedStepUpChallenge, mandateChallenge, passkeyChallenge,
  RelayHttpClient, signCanonical, stepUpChallenge, type Wallet, type WebAuthnAssertion, type WalletSettings,
} from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { type AssertionOptions, softAuthenticator } from './webauthn.ts';

const ORIGIN = 'chrome-extension://agentpaywalletextensionidabcdefgh';
const THRESHOLD = { minor: 100_00, currency: 'CNY' };

/** Signs the approval and sends it, with an assertion made over that very JWS unless told otherwise. */
async function approve(
  wallet: Party<Wallet>,
  intent: Intent,
  passkey: ((challenge: string) => WebAuthnAssertion) | undefined,
  decision: 'approve' | 'deny' = 'approve',
) {
  const claims = {
    type: 'agentpay.approval.v1', intentId: intent.id, decision, merchantId: intent.merchantId,
    amount: intent.amount, lineItems: intent.lineItems, category: intent.category,
  };
  const jws = await signCanonical(claims, wallet.signer.privateKey, wallet.record.id);
  const challengeId = passkey && (await wallet.client.post<IssuedStepUpChallenge>('/v1/wallet/step-up/challenges', {})).id;
  const body = passkey && challengeId ? { jws, passkey: { challengeId, ...passkey(await approvalChallenge(challengeId, jws)) } } : { jws };
  return wallet.client.post<Intent>(`/v1/intents/${intent.id}/confirmation`, body);
}

describe.each(STORES)('passkey step-up on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  let authenticator: ReturnType<typeof softAuthenticator>;

  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  /** A wallet whose agent confirms each payment, before it has a passkey. */
  const confirmingEach = async () => {
    const cast = await setUpParties(relay);
    await setMandate(cast.wallet, cast.agent.record.id, { kind: 'confirm_each' });
    return cast;
  };
  // Each test its own wallet with its own passkey and a step-up threshold of 100.00 CNY, so no test
  // leans on a passkey, threshold or mandate that another one set or changed.
  beforeEach(async () => {
    parties = await confirmingEach();
    authenticator = softAuthenticator({ rpId: 'agentpaywalletextensionidabcdefgh', origin: ORIGIN });
    await parties.wallet.client.put('/v1/wallet/step-up', { thresholds: [THRESHOLD] });
    await parties.wallet.client.put('/v1/wallet/passkey', { passkey: authenticator.passkey });
  });
  afterEach(async () => {
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });
  afterAll(() => dropSchema(relay));

  const hold = async (minor: number) => {
    const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, minor));
    expect(intent.status).toBe('pending_confirmation');
    return intent;
  };

  it('sets thresholds freely before there is a passkey, then adds one', async () => {
    const { wallet } = await confirmingEach();
    const own = softAuthenticator({ rpId: 'agentpaywalletextensionidabcdefgh', origin: ORIGIN });
    expect(await wallet.client.get<WalletSettings>('/v1/wallet')).toMatchObject({ id: wallet.record.id, passkey: null, stepUp: { thresholds: [] } });
    await wallet.client.put('/v1/wallet/step-up', { thresholds: [THRESHOLD] });
    const settings = await wallet.client.put<WalletSettings>('/v1/wallet/passkey', { passkey: own.passkey });
    expect(settings).toMatchObject({
      passkey: { credentialId: own.passkey.credentialId, rpId: own.passkey.rpId, origin: ORIGIN, algorithm: -7 },
      stepUp: { thresholds: [THRESHOLD] },
    });
    // The public key is not handed back: the wallet read shows only that there is a passkey.
    expect(JSON.stringify(settings)).not.toContain(own.passkey.publicKey);
  });

  it('marks held intents at or above the threshold as needing step-up, in the push and the list', async () => {
    const pushed: ConfirmationRequest[] = [];
    const stop = new AbortController();
    relay.ctx.events.subscribe((e) => e.type === 'confirmation.requested' && pushed.push(e.request), stop.signal);
    const above = await hold(100_00);
    const below = await hold(99_99);
    stop.abort();
    expect(pushed.find((r) => r.intentId === above.id)!.stepUp).toBe(true);
    expect(pushed.find((r) => r.intentId === below.id)!.stepUp).toBe(false);
    const { confirmations } = await parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    expect(confirmations.find((c) => c.intentId === above.id)!.stepUp).toBe(true);
    expect(confirmations.find((c) => c.intentId === below.id)!.stepUp).toBe(false);
  });

  it('refuses to approve above the threshold without a passkey assertion', async () => {
    const intent = await hold(150_00);
    await expect(approve(parties.wallet, intent, undefined)).rejects.toMatchObject({
      code: 'step_up_required', status: 403, message: expect.stringContaining('150.00 CNY'),
    });
    const still = await parties.wallet.client.get<Intent>(`/v1/intents/${intent.id}`);
    expect(still.status).toBe('pending_confirmation');
  });

  it('approves above the threshold with a valid assertion, and the agent gets its token', async () => {
    const intent = await hold(150_00);
    const approved = await approve(parties.wallet, intent, (challenge) => authenticator.assert(challenge));
    expect(approved.status).toBe('approved');
    const seen = await parties.agent.client.get<Intent>(`/v1/intents/${intent.id}`);
    expect(seen.token).toMatchObject({ maxMinor: 150_00 });
  });

  it.each<[string, (challenge: string) => WebAuthnAssertion, RegExp]>([
    ['a tampered challenge', (c) => authenticator.assert(`${c.slice(0, -2)}AA`), /challenge/],
    ['an assertion for another approval', (_c) => authenticator.assert('b3RoZXItYXBwcm92YWwtY2hhbGxlbmdlLWJ5dGVzLTEyMzQ'), /challenge/],
    ['the wrong origin', (c) => authenticator.assert(c, { origin: 'https://evil.example' }), /origin/],
    ['the UV flag missing', (c) => authenticator.assert(c, { flags: 0x01 } satisfies AssertionOptions), /UV not set/],
    ['another key', (c) => softAuthenticator({ rpId: authenticator.passkey.rpId, origin: ORIGIN }).assert(c, { credentialId: authenticator.passkey.credentialId }), /signature does not verify/],
  ])('refuses %s with step_up_failed', async (_name, passkey, reason) => {
    const intent = await hold(200_00);
    await expect(approve(parties.wallet, intent, passkey)).rejects.toMatchObject({
      code: 'step_up_failed', status: 403, message: expect.stringMatching(reason),
    });
    expect((await parties.wallet.client.get<Intent>(`/v1/intents/${intent.id}`)).status).toBe('pending_confirmation');
  });

  it('needs no passkey below the threshold or to deny', async () => {
    expect((await approve(parties.wallet, await hold(99_99), undefined)).status).toBe('approved');
    expect((await approve(parties.wallet, await hold(500_00), undefined, 'deny')).status).toBe('denied');
  });

  it('needs the passkey in a currency without a threshold, so another currency is no way around it', async () => {
    const yen = await parties.agent.client.post<Intent>('/v1/intents', {
      ...cart(parties.merchant.record.id, 0), amount: { minor: 1_000_000, currency: 'JPY' }, lineItems: [],
    });
    expect(yen.status).toBe('pending_confirmation');
    await expect(approve(parties.wallet, yen, undefined)).rejects.toMatchObject({ code: 'step_up_required' });
    expect((await approve(parties.wallet, yen, (c) => authenticator.assert(c))).status).toBe('approved');
  });

  it('needs the passkey to change a mandate once there is one, so an agent with the wallet key cannot raise its own budget', async () => {
    const { wallet } = parties;
    const document = { v: 1, kind: 'quota', walletId: wallet.record.id, actorId: parties.agent.record.id, issuedAt: new Date().toISOString(), budget: { minor: 100_000_00, currency: 'CNY' }, period: 'month' };
    const jws = await signCanonical(document, wallet.signer.privateKey, wallet.record.id);
    await expect(wallet.client.put(`/v1/wallet/actors/${parties.agent.record.id}/mandate`, { jws })).rejects.toMatchObject({ code: 'step_up_required', status: 403 });
    const forOther = await authenticator.stepUp(wallet.client, (id) => mandateChallenge(id, `${jws}x`));
    await expect(wallet.client.put(`/v1/wallet/actors/${parties.agent.record.id}/mandate`, { jws, passkey: forOther })).rejects.toMatchObject({ code: 'step_up_failed' });
    // Made for approving a payment signed as this very JWS: another purpose, another challenge.
    const asApproval = await authenticator.stepUp(wallet.client, (id) => approvalChallenge(id, jws));
    await expect(wallet.client.put(`/v1/wallet/actors/${parties.agent.record.id}/mandate`, { jws, passkey: asApproval })).rejects.toMatchObject({ code: 'step_up_failed' });
    const mandate = await wallet.client.put<{ kind: string }>(`/v1/wallet/actors/${parties.agent.record.id}/mandate`, { jws, passkey: await authenticator.stepUp(wallet.client, (id) => mandateChallenge(id, jws)) });
    expect(mandate.kind).toBe('quota');
  });

  it('refuses changing thresholds without an assertion once there is a passkey, and takes a valid one once', async () => {
    const { wallet } = parties;
    const raised = [{ minor: 1_000_00, currency: 'CNY' }];
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: raised })).rejects.toMatchObject({ code: 'step_up_required', status: 403 });
    const forOther = await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, [{ minor: 1, currency: 'CNY' }]));
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: raised, assertion: forOther })).rejects.toMatchObject({ code: 'step_up_failed' });

    const assertion = await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, raised));
    const settings = await wallet.client.put<WalletSettings>('/v1/wallet/step-up', { thresholds: raised, assertion });
    expect(settings.stepUp.thresholds).toEqual(raised);
    // Back to 100, then a replay of the recorded "1,000" assertion must not raise it again.
    await wallet.client.put('/v1/wallet/step-up', { thresholds: [THRESHOLD], assertion: await authenticator.stepUp(wallet.client, (id) => stepUpChallenge(id, wallet.record.id, [THRESHOLD])) });
    await expect(wallet.client.put('/v1/wallet/step-up', { thresholds: raised, assertion })).rejects.toMatchObject({
      code: 'step_up_failed', message: expect.stringContaining('already used'),
    });
    expect((await wallet.client.get<WalletSettings>('/v1/wallet')).stepUp.thresholds).toEqual([THRESHOLD]);
  });

  it('replaces the passkey only with an assertion by the current one', async () => {
    const { wallet } = parties;
    const next = softAuthenticator({ rpId: authenticator.passkey.rpId, origin: ORIGIN });
    await expect(wallet.client.put('/v1/wallet/passkey', { passkey: next.passkey })).rejects.toMatchObject({ code: 'step_up_required' });
    await expect(
      wallet.client.put('/v1/wallet/passkey', { passkey: next.passkey, assertion: await next.stepUp(wallet.client, (id) => passkeyChallenge(id, wallet.record.id, next.passkey)) }),
    ).rejects.toMatchObject({ code: 'step_up_failed' });
    const assertion = await authenticator.stepUp(wallet.client, (id) => passkeyChallenge(id, wallet.record.id, next.passkey));
    const settings = await wallet.client.put<WalletSettings>('/v1/wallet/passkey', { passkey: next.passkey, assertion });
    expect(settings.passkey!.credentialId).toBe(next.passkey.credentialId);
    // The old passkey no longer approves.
    const intent = await hold(300_00);
    await expect(approve(wallet, intent, (c) => authenticator.assert(c))).rejects.toMatchObject({ code: 'step_up_failed' });
    expect((await approve(wallet, intent, (c) => next.assert(c))).status).toBe('approved');
  });

  it('registers a wallet with a passkey and thresholds, refusing other algorithms and bad keys clearly', async () => {
    const anon = new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
    const key = await generateSigningKey();
    const client = anon.as({ id: 'self', privateKey: key.privateKey });
    const base = { name: 'Bob', publicKey: key.publicJwk, pairingCode: relay.ctx.pairingCode };
    const own = softAuthenticator({ origin: ORIGIN });
    await expect(client.post('/v1/wallets', { ...base, passkey: { ...own.passkey, algorithm: -257 } })).rejects.toMatchObject({
      code: 'invalid_request', message: expect.stringContaining('-7 (ES256'),
    });
    await expect(client.post('/v1/wallets', { ...base, passkey: { ...own.passkey, publicKey: 'bm90LWEta2V5' } })).rejects.toMatchObject({
      code: 'invalid_request', message: expect.stringContaining('passkey.publicKey'),
    });
    await expect(client.post('/v1/wallets', { ...base, pairingCode: 'WRONG-CODE', passkey: own.passkey })).rejects.toMatchObject({ code: 'forbidden' });
    const wallet = await client.post<Wallet>('/v1/wallets', { ...base, passkey: own.passkey, stepUp: { thresholds: [THRESHOLD] } });
    const walletClient = anon.as({ id: wallet.id, privateKey: key.privateKey });
    expect(await walletClient.get<WalletSettings>('/v1/wallet')).toMatchObject({ passkey: { credentialId: own.passkey.credentialId }, stepUp: { thresholds: [THRESHOLD] } });
    // Registering the same key again cannot swap the passkey.
    const intruder = softAuthenticator({ origin: ORIGIN });
    await expect(client.post('/v1/wallets', { ...base, passkey: intruder.passkey })).rejects.toMatchObject({ code: 'invalid_request', status: 409 });
    expect((await client.post<Wallet>('/v1/wallets', base)).id).toBe(wallet.id);
  });
});
