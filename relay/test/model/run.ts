import {
  type Actor, approvalChallenge, type Charge, type ConfirmationRequest, type Intent, mandateChallenge, passkeyChallenge, type PasskeyAssertion,
  ProtocolError, type Refund, resumeChallenge, signCanonical, stepUpChallenge, type TokenGrant, type Wallet, type WalletSettings,
} from '@agentpay/protocol';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Relay } from '../../src/relay.ts';
import { addActor, type Party, setMandate, setUpParties } from '../harness.ts';
import { softAuthenticator } from '../webauthn.ts';
import { type ActorAction, CAST, type ChargeBy, type ClockAction, type MerchantAction, type Scenario, type WalletAction } from './scenario.ts';

/** The relay's clock, which the clock client moves forward (never back) during a run. */
export interface MovableClock {
  now(): Date;
  advance(ms: number): void;
}

export function movableClock(): MovableClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/** The cart the wallet was shown, which its approval signs. */
export type ShownClaims = ConfirmationRequest['claims'];

/**
 * One request a client made and what it was told, with when it was sent and when the answer
 * arrived on this process's monotonic clock (`performance.now()`), and the relay's clock when it
 * was sent. A request sent after another's answer arrived was handled after that one committed.
 */
export interface Entry {
  n: number;
  client: string;
  what: string;
  sentAt: number;
  answeredAt: number;
  /** The relay's clock just before sending: it was at least this when the request was handled. */
  relaySentAt: number;
  ok: boolean;
  status?: number;
  code?: string;
  message?: string;
  actorId?: string;
  intentId?: string;
  tokenId?: string;
  chargeId?: string;
  /** intent: what the agent asked for; approve: the cart shown. */
  cart?: ShownClaims | IntentCart;
  /** intent: the status it was answered with; status change: the new status. */
  status_?: string;
  jws?: string;
  withAssertion?: boolean;
  amountMinor?: number;
  thresholdMinor?: number;
  reversed?: string;
  /** replay: the entry whose request was sent again. */
  replayOf?: number;
  by?: string;
  /** merchant index charging or refunding; for a foreign charge, whose token it was. */
  merchant?: number;
  tokenMerchant?: number;
}

export interface IntentCart {
  merchantId: string;
  amount: { minor: number; currency: string };
  lineItems: { name: string; quantity: number; unitMinor: number }[];
  category: string;
}

/** What the run's clients made and know, shared as people and shops would share it. */
export interface World {
  relay: Relay;
  clock: MovableClock;
  wallets: (Party<Wallet> & { authenticators: Map<string, ReturnType<typeof softAuthenticator>>; lastIssuedAt: number })[];
  actors: (Party<Actor> & { index: number; wallet: number })[];
  merchants: Party<{ id: string }>[];
  /** Tokens agents handed to each merchant. */
  handed: { token: TokenGrant; intentId: string; actorId: string }[][];
  /** Charges each merchant made. */
  charges: Charge[][];
  /** Each actor's intents, as it was answered. */
  intents: Map<string, { actor: number; intent: Intent; handed: boolean }>[];
  log: Entry[];
  /** Wakes clients waiting for something to exist (a token to charge, an intent to approve). */
  changed: Signal;
  /** Agents and devices still running their lists: while any is, there may be more to wait for. */
  actorsRunning: number;
}

/** A wake-up for everyone waiting, on every answer: waiting is for a condition, never for a time. */
export class Signal {
  private waiters: (() => void)[] = [];
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Waits until `ready` holds, or until no agent or device is left that could make it hold. */
async function until(world: World, ready: () => boolean): Promise<boolean> {
  while (!ready()) {
    if (world.actorsRunning === 0) return false;
    await world.changed.next();
  }
  return true;
}

const RP_ID = 'agentpaywalletextensionidabcdefgh';
const ORIGIN = `chrome-extension://${RP_ID}`;
export const INITIAL_BUDGET_MINOR = 150_00;
export const INITIAL_THRESHOLD_MINOR = 50_00;

/** A quota mandate over both merchants. */
function quota(world: Pick<World, 'merchants'>, budgetMinor: number) {
  return { kind: 'quota' as const, budget: { minor: budgetMinor, currency: 'CNY' }, period: 'month', merchants: world.merchants.map((m) => m.record.id) };
}

/** Fresh wallets, agents, a car and merchants for one run: runs on one relay never share a party. */
export async function setUpWorld(relay: Relay, clock: MovableClock): Promise<World> {
  const first = await setUpParties(relay);
  const second = await setUpParties(relay);
  const device = await addActor(relay, first.wallet.client, 'device', 'cockpit');
  const merchants = [first.merchant, second.merchant];
  const wallets = [first.wallet, second.wallet].map((w) => ({ ...w, authenticators: new Map(), lastIssuedAt: 0 }));
  const actors = [first.agent, device, second.agent].map((a, index) => ({ ...a, index, wallet: CAST.actors[index]!.wallet }));
  for (const wallet of wallets) await wallet.client.put('/v1/wallet/step-up', { thresholds: [{ minor: INITIAL_THRESHOLD_MINOR, currency: 'CNY' }] });
  for (const actor of actors) await setMandate(wallets[actor.wallet]!, actor.record.id, quota({ merchants }, INITIAL_BUDGET_MINOR));
  return {
    relay, clock, wallets, actors, merchants,
    handed: merchants.map(() => []), charges: merchants.map(() => []), intents: actors.map(() => new Map()), log: [],
    changed: new Signal(), actorsRunning: actors.length,
  };
}

/** When a client began an action: before anything it read to prepare it, so "sent after" errs on the safe side. */
const mark = (world: World) => ({ sentAt: performance.now(), relaySentAt: world.clock.now().getTime() });

/** Sends one request, recording what the client was told and when (from `started`, if it read first). */
async function step<T>(
  world: World, client: string, what: string, facts: Partial<Entry>, send: () => Promise<T>, started = mark(world),
): Promise<{ entry: Entry; value?: T }> {
  const entry: Entry = { n: world.log.length, client, what, ...started, answeredAt: 0, ok: false, ...facts };
  world.log.push(entry);
  try {
    const value = await send();
    entry.answeredAt = performance.now();
    entry.ok = true;
    setImmediate(() => world.changed.notify());
    return { entry, value };
  } catch (error) {
    entry.answeredAt = performance.now();
    if (error instanceof ProtocolError) Object.assign(entry, { status: error.status, code: error.code, message: error.message });
    else Object.assign(entry, { status: 0, code: 'client_error', message: String((error as Error)?.stack ?? error) });
    return { entry };
  }
}

const at = <T>(list: readonly T[], pick: number): T | undefined => (list.length === 0 ? undefined : list[pick % list.length]);

/** Hands an approved intent's token to the merchant it is for, as the agent's checkout does. */
function handOver(world: World, actor: number, intent: Intent, token: TokenGrant | undefined) {
  const known = world.intents[actor]!.get(intent.id);
  if (!token || known?.handed) return;
  world.intents[actor]!.set(intent.id, { actor, intent, handed: true });
  const merchant = world.merchants.findIndex((m) => m.record.id === token.merchantId);
  world.handed[merchant]!.push({ token, intentId: intent.id, actorId: world.actors[actor]!.record.id });
}

async function runActor(world: World, index: number, actions: ActorAction[]) {
  const actor = world.actors[index]!;
  const name = `${actor.record.kind}${index}`;
  let last: { body: unknown; key: string; entry: Entry } | undefined;
  const ask = async (merchant: number, units: number[]) => {
    const merchantId = world.merchants[merchant]!.record.id;
    const lineItems = units.map((unitMinor, i) => ({ name: `Item ${i + 1}`, quantity: 1, unitMinor }));
    const cart: IntentCart = { merchantId, amount: { minor: units.reduce((a, b) => a + b, 0), currency: 'CNY' }, lineItems, category: 'physical_goods' };
    const body = { ...cart, channel: actor.record.kind === 'agent' ? 'api' : 'device-voice' };
    const key = `model-${randomUUID()}`;
    const { entry, value } = await step(world, name, 'intent', { actorId: actor.record.id, cart, amountMinor: cart.amount.minor }, () =>
      actor.client.post<Intent>('/v1/intents', body, { idempotencyKey: key }));
    last = { body, key, entry };
    if (value) {
      Object.assign(entry, { intentId: value.id, status_: value.status, tokenId: value.token?.id });
      if (!world.intents[index]!.has(value.id)) world.intents[index]!.set(value.id, { actor: index, intent: value, handed: false });
      handOver(world, index, value, value.token);
    }
  };
  for (const action of actions) {
    if (action.do === 'intent') await ask(action.merchant, action.units);
    else if (action.do === 'burst') await Promise.all(action.units.map((unit) => ask(action.merchant, [unit])));
    else if (action.do === 'replay') {
      if (!last) continue;
      const { body, key, entry: first } = last;
      const { entry, value } = await step(world, name, 'intent-replay', { actorId: actor.record.id, replayOf: first.n }, () =>
        actor.client.post<Intent>('/v1/intents', body, { idempotencyKey: key }));
      if (value) Object.assign(entry, { intentId: value.id, status_: value.status, tokenId: value.token?.id });
    } else {
      const mine = [...world.intents[index]!.values()].filter((i) => !i.handed && i.intent.status === 'pending_confirmation');
      const chosen = at(mine, action.pick);
      if (!chosen) continue;
      const { entry, value } = await step(world, name, 'poll', { actorId: actor.record.id, intentId: chosen.intent.id }, () =>
        actor.client.get<Intent>(`/v1/intents/${chosen.intent.id}`));
      if (value) {
        Object.assign(entry, { status_: value.status, tokenId: value.token?.id });
        if (value.status !== 'pending_confirmation') world.intents[index]!.set(value.id, { ...chosen, intent: value });
        handOver(world, index, value, value.token);
      }
    }
  }
}

/** A CVC that is not this card's. */
const wrongCvc = (cvc: string) => String((Number(cvc) + 1) % 1000).padStart(3, '0');

async function runMerchant(world: World, index: number, actions: MerchantAction[]) {
  const merchant = world.merchants[index]!;
  const name = `merchant${index}`;
  let last: { body: unknown; key: string; entry: Entry; facts: Partial<Entry> } | undefined;
  const charge = async (handed: World['handed'][number][number], by: ChargeBy, percent: number, tokenMerchant: number) => {
    const { token } = handed;
    const amount = { minor: Math.max(1, Math.round((token.maxMinor * percent) / 100)), currency: token.currency };
    const body =
      by === 'secret' || by === 'foreign' ? { token: token.secret, amount }
      : by === 'card' ? { card: token.card, amount }
      : by === 'wrong-cvc' ? { card: { ...token.card, cvc: wrongCvc(token.card.cvc) }, amount }
      : { card: { ...token.card, expMonth: (token.card.expMonth % 12) + 1 }, amount };
    const key = `model-${randomUUID()}`;
    const facts: Partial<Entry> = { tokenId: token.id, intentId: handed.intentId, actorId: handed.actorId, amountMinor: amount.minor, by, merchant: index, tokenMerchant };
    const { entry, value } = await step(world, name, 'charge', facts, () => merchant.client.post<Charge>('/v1/merchant/charges', body, { idempotencyKey: key }));
    last = { body, key, entry, facts };
    if (value) {
      entry.chargeId = value.id;
      world.charges[index]!.push(value);
    }
  };
  for (const action of actions) {
    if (action.do === 'charge' || action.do === 'burst') {
      const tokenMerchant = action.do === 'charge' && action.by === 'foreign' ? (index + 1) % world.merchants.length : index;
      await until(world, () => world.handed[tokenMerchant]!.length > 0);
      const handed = at(world.handed[tokenMerchant]!, action.pick);
      if (!handed) continue;
      if (action.do === 'charge') await charge(handed, action.by, action.percent, tokenMerchant);
      else await Promise.all(action.by.map((by) => charge(handed, by, action.percent, tokenMerchant)));
    } else if (action.do === 'replay') {
      if (!last) continue;
      const { body, key, entry: first, facts } = last;
      const { entry, value } = await step(world, name, 'charge-replay', { ...facts, replayOf: first.n }, () =>
        merchant.client.post<Charge>('/v1/merchant/charges', body, { idempotencyKey: key }));
      if (value) entry.chargeId = value.id;
    } else {
      const charged = at(world.charges[index]!, action.pick);
      if (!charged) continue;
      const body = action.percent === null ? {} : { amount: { minor: Math.max(1, Math.round((charged.amount.minor * action.percent) / 100)), currency: charged.amount.currency } };
      const { entry, value } = await step(world, name, 'refund', { chargeId: charged.id, tokenId: charged.tokenId, intentId: charged.intentId, amountMinor: body.amount?.minor, merchant: index }, () =>
        merchant.client.post<Refund>(`/v1/merchant/charges/${charged.id}/refunds`, body));
      if (value) entry.amountMinor = value.amount.minor;
    }
  }
}

/** The wallet's current passkey, if it has one and this user holds it: the one the relay shows. */
async function currentAuthenticator(wallet: World['wallets'][number]) {
  const settings = await wallet.client.get<WalletSettings>('/v1/wallet');
  return settings.passkey ? wallet.authenticators.get(settings.passkey.credentialId) : undefined;
}

/** The user's assertion over a fresh relay challenge, when the wallet has a passkey. */
async function stepUp(wallet: World['wallets'][number], derive: (challengeId: string) => Promise<string>): Promise<PasskeyAssertion | undefined> {
  const authenticator = await currentAuthenticator(wallet);
  return authenticator?.stepUp(wallet.client, derive);
}

async function runWallet(world: World, session: number, actions: WalletAction[]) {
  const w = CAST.sessions[session]!;
  const wallet = world.wallets[w]!;
  const walletId = wallet.record.id;
  const name = `wallet${w}.${session}`;
  const mine = world.actors.filter((a) => a.wallet === w);
  for (const action of actions) {
    let started = mark(world);
    switch (action.do) {
      case 'approve':
      case 'deny':
      case 'tamper': {
        const held = () => world.actors.some((a) => a.wallet === w && [...world.intents[a.index]!.values()].some((i) => i.intent.status === 'pending_confirmation'));
        if (!(await until(world, held))) break;
        started = mark(world);
        const { confirmations } = await wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
        const shown = at(confirmations, action.pick);
        if (!shown) break;
        const decision = action.do === 'deny' ? 'deny' : 'approve';
        const claims = action.do === 'tamper' ? tampered(world, shown.claims, action.change) : shown.claims;
        const jws = await signCanonical({ ...claims, decision }, wallet.signer.privateKey, walletId);
        const passkey = decision === 'approve' && shown.stepUp && action.do !== 'tamper' ? await stepUp(wallet, (id) => approvalChallenge(id, jws)) : undefined;
        await step(world, name, action.do, {
          intentId: shown.intentId, actorId: shown.actorId, cart: shown.claims, jws, withAssertion: passkey !== undefined, amountMinor: shown.claims.amount.minor,
        }, () => wallet.client.post<Intent>(`/v1/intents/${shown.intentId}/confirmation`, passkey ? { jws, passkey } : { jws }), started);
        break;
      }
      case 'reverse': {
        if (!(await until(world, () => mine.some((a) => world.intents[a.index]!.size > 0)))) break;
        started = mark(world);
        const { records } = await wallet.client.get<{ records: (Intent & { boughtBy: { id: string } })[] }>('/v1/wallet/records?limit=100');
        const record = at(records, action.pick);
        if (!record) break;
        const { entry, value } = await step(world, name, 'reverse', { intentId: record.id, actorId: record.boughtBy.id }, () =>
          wallet.client.post<{ reversed: string; refund?: Refund }>(`/v1/wallet/records/${record.id}/reverse`, {}), started);
        if (value) Object.assign(entry, { reversed: value.reversed, chargeId: value.refund?.chargeId, amountMinor: value.refund?.amount.minor });
        break;
      }
      case 'pause':
      case 'resume':
      case 'revoke': {
        const actor = at(mine, action.actor)!;
        const status = action.do === 'pause' ? 'paused' : action.do === 'resume' ? 'active' : 'revoked';
        const passkey = status === 'active' ? await stepUp(wallet, (id) => resumeChallenge(id, walletId, actor.record.id)) : undefined;
        await step(world, name, 'status', { actorId: actor.record.id, status_: status, withAssertion: passkey !== undefined }, () =>
          wallet.client.patch(`/v1/wallet/actors/${actor.record.id}`, passkey ? { status, passkey } : { status }), started);
        break;
      }
      case 'mandate': {
        const actor = at(mine, action.actor)!;
        // Newer than any this user signed before, on the relay's clock.
        wallet.lastIssuedAt = Math.max(world.clock.now().getTime(), wallet.lastIssuedAt + 1);
        const document = {
          v: 1, walletId, actorId: actor.record.id, issuedAt: new Date(wallet.lastIssuedAt).toISOString(),
          ...(action.kind === 'quota' ? quota(world, action.budgetMinor) : { kind: 'confirm_each' as const }),
        };
        const jws = await signCanonical(document, wallet.signer.privateKey, walletId);
        const passkey = await stepUp(wallet, (id) => mandateChallenge(id, jws));
        await step(world, name, 'mandate', { actorId: actor.record.id, withAssertion: passkey !== undefined, by: action.kind }, () =>
          wallet.client.put(`/v1/wallet/actors/${actor.record.id}/mandate`, passkey ? { jws, passkey } : { jws }), started);
        break;
      }
      case 'passkey': {
        const next = softAuthenticator({ rpId: RP_ID, origin: ORIGIN });
        wallet.authenticators.set(next.passkey.credentialId, next);
        const assertion = await stepUp(wallet, (id) => passkeyChallenge(id, walletId, next.passkey));
        await step(world, name, 'passkey', { withAssertion: assertion !== undefined }, () =>
          wallet.client.put('/v1/wallet/passkey', assertion ? { passkey: next.passkey, assertion } : { passkey: next.passkey }), started);
        break;
      }
      case 'thresholds': {
        const thresholds = [{ minor: action.minor, currency: 'CNY' }];
        const assertion = await stepUp(wallet, (id) => stepUpChallenge(id, walletId, thresholds));
        await step(world, name, 'thresholds', { thresholdMinor: action.minor, withAssertion: assertion !== undefined }, () =>
          wallet.client.put('/v1/wallet/step-up', assertion ? { thresholds, assertion } : { thresholds }), started);
        break;
      }
    }
  }
}

/** The shown cart with one thing changed, as a tampering agent driving the wallet would sign it. */
function tampered(world: World, claims: ShownClaims, change: 'amount' | 'lineItems' | 'merchant' | 'category'): ShownClaims {
  switch (change) {
    case 'amount':
      return { ...claims, amount: { ...claims.amount, minor: claims.amount.minor + 1 } };
    case 'lineItems':
      return { ...claims, lineItems: [...claims.lineItems.slice(1), { name: 'Something else', quantity: 1, unitMinor: claims.lineItems[0]?.unitMinor ?? 0 }] };
    case 'merchant':
      return { ...claims, merchantId: world.merchants.find((m) => m.record.id !== claims.merchantId)!.record.id };
    case 'category':
      return { ...claims, category: claims.category === 'groceries' ? 'physical_goods' : 'groceries' };
  }
}

async function runClock(world: World, actions: ClockAction[]) {
  for (const action of actions) {
    const answered = () => world.log.filter((e) => e.answeredAt > 0).length;
    const target = answered() + action.after;
    await until(world, () => answered() >= target);
    if (action.do === 'advance') world.clock.advance(action.seconds * 1000);
    await step(world, 'clock', action.do, { amountMinor: action.do === 'advance' ? action.seconds : undefined }, () => world.relay.sweep());
  }
}

/** Runs every client's list at the same time; resolves when all are done. */
export async function runScenario(world: World, scenario: Scenario): Promise<void> {
  await Promise.all([
    ...scenario.wallets.map((actions, session) => runWallet(world, session, actions)),
    ...scenario.actors.map((actions, index) =>
      runActor(world, index, actions).finally(() => {
        world.actorsRunning--;
        world.changed.notify();
      })),
    ...scenario.merchants.map((actions, index) => runMerchant(world, index, actions)),
    runClock(world, scenario.clock),
  ]);
}

/** One line per request, in the order they were sent, for a failing run's report. */
export function timeline(log: Entry[]): string {
  const t0 = log[0]?.sentAt ?? 0;
  return [...log]
    .sort((a, b) => a.sentAt - b.sentAt)
    .map((e) => {
      const facts = [e.actorId, e.intentId, e.tokenId, e.chargeId, e.by, e.status_, e.reversed, e.amountMinor].filter((f) => f !== undefined).join(' ');
      const outcome = e.ok ? 'ok' : `${e.code}: ${e.message?.split('\n')[0]}`;
      return `#${e.n} [${(e.sentAt - t0).toFixed(0)}–${(e.answeredAt - t0).toFixed(0)} ms] ${e.client} ${e.what} ${facts} -> ${outcome}`;
    })
    .join('\n');
}

/** Counts by request and outcome, e.g. "charge ok 4, charge card_declined 3": how much a run exercised. */
export function summary(log: Entry[]): string {
  const counts = new Map<string, number>();
  for (const e of log) {
    const key = `${e.what}${e.what === 'intent' && e.ok ? `:${e.status_}` : ''} ${e.ok ? 'ok' : e.code}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort().map(([k, n]) => `${k} ${n}`).join(', ');
}
