import type { ConfirmationRequest } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { keyNames, loadKey } from '../shared/keys.ts';
import { walletClient } from '../shared/relay.ts';
import { read } from '../shared/state.ts';
import { followWalletEvents } from '../wallet-page/event-stream.ts';
import { enqueue } from './pending.ts';

const ALARM = 'remote-holds';

/**
 * Payments held for agents that run outside this browser (connected with an agent code, such as
 * `npm run demo:agent -- --agent-code`): the relay holds them for the user, and this brings them into
 * the confirmation window beside the browser's own checkouts. Such an agent fetches its token itself
 * once approved, so there is no tab to hand anything to.
 */
export async function bringInRemoteHolds(): Promise<void> {
  const wallet = await walletClient().catch(() => null);
  if (!wallet) return; // not paired
  const { confirmations } = await wallet.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
  const known = new Set((await read('pending')).map((p) => p.intentId));
  for (const confirmation of confirmations) {
    if (known.has(confirmation.intentId)) continue;
    // One of this browser's own agents: its checkout queues the payment itself, with its tab.
    if (await loadKey(keyNames.agent(confirmation.actorId))) continue;
    await enqueue({
      checkoutId: `remote-${confirmation.intentId}`,
      intentId: confirmation.intentId,
      shape: 'remote-agent',
      tabId: -1,
      frameId: 0,
      origin: confirmation.merchant.provenOrigins[0] ?? confirmation.merchant.origins[0] ?? '',
      cardSentTo: null,
      cardOrigins: [],
      agentName: confirmation.actorName,
      actorId: confirmation.actorId,
      confirmation,
      description: null,
      notify: null,
      createdAt: new Date().toISOString(),
    });
  }
}

/**
 * Looks when the wallet's event stream says a payment is held, while the worker runs, and every
 * half minute (an alarm wakes a stopped worker), so a held payment reaches the window either way.
 */
export function watchRemoteHolds(): void {
  const look = () => void bringInRemoteHolds().catch(() => undefined);
  void browser.alarms.create(ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((alarm) => alarm.name === ALARM && look());
  void followWalletEvents(new AbortController().signal, {
    event: (event) => (event.event === 'connected' || event.event === 'confirmation.requested') && look(),
    status: () => undefined,
  });
}
