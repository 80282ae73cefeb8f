import type { Actor, ActorStatus, Mandate, MandateDocument, WalletRecord, WalletTask } from '@agentpay/protocol';
import { mandateChallenge, resumeChallenge, signCanonical, SpendingAnalysis } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { keyNames, loadKey } from '../shared/keys.ts';
import { stepUp } from '../shared/passkey.ts';
import type { PageCommand, Reply } from '../shared/messages.ts';
import { NotPairedError, pairing, walletClient } from '../shared/relay.ts';
import type { Reversal } from './payment-actions.ts';

/** The wallet API as this page uses it (relay/src/http/routes/wallet.ts). */
export type ActorView = Actor & { mandate: Mandate | null };

export interface TimelineStep {
  stage: string;
  message: string | null;
  intentId: string | null;
  actorId: string;
  at: string;
}

const get = async <T>(path: string) => (await walletClient()).get<T>(path);

export const listActors = () => get<{ actors: ActorView[] }>('/v1/wallet/actors').then((r) => r.actors);
export const listRecords = () => get<{ records: WalletRecord[] }>('/v1/wallet/records').then((r) => r.records);
export const listTasks = () => get<{ tasks: WalletTask[] }>('/v1/wallet/tasks').then((r) => r.tasks);
export const taskTimeline = (taskId: string) =>
  get<{ steps: TimelineStep[] }>(`/v1/wallet/tasks/${encodeURIComponent(taskId)}`).then((r) => r.steps);
/** The spending analysis with months and renewals read on this browser's calendar (its own time zone). */
export const spendingAnalysis = async (): Promise<SpendingAnalysis> => {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const parsed = SpendingAnalysis.safeParse(await get<unknown>(`/v1/wallet/analysis?timeZone=${encodeURIComponent(timeZone)}`));
  if (!parsed.success) {
    throw new Error('The spending analysis could not be read: the relay answered in a form this extension does not know. Nothing was paid or changed; update the extension and the relay to the same version.');
  }
  return parsed.data;
};

/**
 * Pauses, resumes or revokes. Resuming lets the agent pay again at once, so with a passkey the relay
 * also wants the person's assertion (asked only when the agent is paused, as a rename or pause needs none).
 */
export async function setStatus(actorId: string, status: ActorStatus, from?: ActorStatus): Promise<Actor> {
  const relay = await walletClient();
  const { walletId, passkey } = await pairing();
  const assertion =
    passkey && status === 'active' && from === 'paused'
      ? await stepUp(relay, passkey.credentialId, (challengeId) => resumeChallenge(challengeId, walletId, actorId))
      : undefined;
  return relay.patch<Actor>(`/v1/wallet/actors/${encodeURIComponent(actorId)}`, { status, ...(assertion ? { passkey: assertion } : {}) });
}

/** Refunds what was charged, or cancels an approval the shop has not charged (the relay decides which from what happened). */
export async function reverseRecord(intentId: string): Promise<Reversal> {
  return (await walletClient()).post<Reversal>(`/v1/wallet/records/${encodeURIComponent(intentId)}/reverse`, { reason: 'reversed in the AI Wallet' });
}

/**
 * Signs the mandate with the wallet's key (over its canonical JSON) and sets
 * it. With a passkey, the relay also wants the person's assertion: a mandate
 * decides what is paid without asking, so an agent driving the browser must
 * not be able to write one.
 */
export async function saveMandate(mandate: MandateDocument): Promise<Mandate> {
  const { walletId, passkey } = await pairing();
  const key = await loadKey(keyNames.wallet);
  if (!key) throw new NotPairedError();
  const jws = await signCanonical(mandate, key, walletId);
  const relay = await walletClient();
  const assertion = passkey ? await stepUp(relay, passkey.credentialId, (challengeId) => mandateChallenge(challengeId, jws)) : undefined;
  const saved = await relay.put<Mandate>(`/v1/wallet/actors/${encodeURIComponent(mandate.actorId)}/mandate`, { jws, ...(assertion ? { passkey: assertion } : {}) });
  // Whether this agent's payments always ask is for the relay's next decision to say again.
  const command: PageCommand = { type: 'mandate.saved', actorId: mandate.actorId };
  await browser.runtime.sendMessage(command).catch(() => undefined);
  return saved;
}

/** Asks the background to make a browser agent whose key this extension keeps. */
export async function createAgent(name: string): Promise<string> {
  const command: PageCommand = { type: 'agent.create', name };
  const reply = (await browser.runtime.sendMessage(command)) as Reply<{ actorId: string }> | undefined;
  if (!reply) throw Object.assign(new Error('the extension did not answer; reload it and try again'), { code: 'no_answer' });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value.actorId;
}
