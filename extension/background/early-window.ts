import type { Intent } from '@agentpay/protocol';
import { type Checking, read, update } from '../shared/state.ts';
import { recordOutcome } from './outcomes.ts';
import { openConfirmWindow } from './pending.ts';

/**
 * The confirmation window, opened while the relay is still deciding. A browser takes about as long
 * to open a window as the relay takes to decide, so for an agent whose every payment comes to the
 * user anyway (no mandate yet, or "confirm each") both happen at once and the question is in front
 * of the user sooner. It opens only once the relay has named the merchant whose proven site the checkout
 * is on, so a page that is no merchant's cannot bring the window up. An agent whose mandate may pay on
 * its own never gets a window early: a payment its budget covers must not interrupt anyone. A wrong
 * guess (the mandate was changed elsewhere) costs one window saying what the mandate did.
 */

/** Reasons the relay gives when an agent's mandate never pays on its own. */
const ALWAYS_ASKS = new Set(['no_mandate', 'confirm_each']);

/** A check older than this was left by a stopped worker: the relay answers within seconds. */
export const CHECKING_STALE_MS = 30_000;

/**
 * Whether the relay's last decision for `agentName` asked the user because its mandate never pays
 * on its own. Unknown for an agent not yet registered (its name may be only a page's choice) or
 * whose mandate the user has just changed: then the window waits for the relay.
 */
export async function asksEveryTime(agentName: string): Promise<boolean> {
  return (await read('agents'))[agentName]?.asksEveryTime === true;
}

/** Remembers from the relay's decision whether this agent's mandate can pay without the user. */
export async function rememberDecision(agentName: string, intent: Pick<Intent, 'status' | 'decision'>): Promise<void> {
  const asks = intent.status === 'pending_confirmation' && intent.decision.reasons.some((r) => ALWAYS_ASKS.has(r.code));
  const known = (await read('agents'))[agentName];
  if (!known || known.asksEveryTime === asks) return;
  await update('agents', (agents) => (agents[agentName] ? { ...agents, [agentName]: { ...agents[agentName], asksEveryTime: asks } } : agents));
}

/** The user changed an agent's mandate in the wallet: guess again from the relay's next decision. */
export async function forgetDecision(actorId: string): Promise<void> {
  await update('agents', (agents) => Object.fromEntries(Object.entries(agents).map(([name, agent]) => [name, agent.actorId === actorId ? { actorId } : agent])));
}

/** Opens (or brings forward) the window with this checkout shown as being checked with the relay. */
export async function startChecking(entry: Omit<Checking, 'startedAt'>): Promise<void> {
  await Promise.all([
    update('checking', (list) => [...list.filter((c) => c.checkoutId !== entry.checkoutId), { ...entry, startedAt: new Date().toISOString() }]),
    openConfirmWindow(),
  ]);
}

/** The relay decided (or the checkout failed first): the window shows the request or its outcome instead. */
export async function stopChecking(checkoutId: string): Promise<Checking | undefined> {
  let stopped: Checking | undefined;
  // Through the update queue, so a check still being written is seen and stopped too.
  await update('checking', (list) => {
    stopped = list.find((c) => c.checkoutId === checkoutId);
    return stopped ? list.filter((c) => c !== stopped) : list;
  });
  return stopped;
}

/** Checks a stopped worker never finished, so the window does not wait on them for ever. */
export async function dropStaleChecks(now = Date.now()): Promise<void> {
  if (!(await read('checking')).some((c) => now - Date.parse(c.startedAt) > CHECKING_STALE_MS)) return;
  await update('checking', (list) => list.filter((c) => now - Date.parse(c.startedAt) <= CHECKING_STALE_MS));
}

/** The checkout failed before the relay held it: the window that showed it being checked says why instead. */
export async function checkingFailed(checkoutId: string, failure: { code: string; message: string }): Promise<void> {
  const entry = await stopChecking(checkoutId);
  if (!entry) return;
  const refused = failure.code === 'intent_declined' || failure.code === 'intent_denied';
  const merchantName = URL.parse(entry.origin)?.host || entry.origin;
  await recordOutcome({ intentId: null, checkoutId, merchantName, amount: entry.amount, state: refused ? 'refused' : 'failed', sentence: failure.message });
}
