import type { Actor, WalletUnpaired } from '@agentpay/protocol';
import { useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Reply } from '../shared/messages.ts';
import { walletClient } from '../shared/relay.ts';
import type { Pairing } from '../shared/state.ts';
import { useStored } from '../ui/use-stored.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Unpairing, asked first: the dialog says what happens on the relay (agents
 * revoked, records kept), to the payments waiting here, and that pairing
 * again makes a new wallet.
 */
export function Unpair({ pairing }: { pairing: Pairing }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pending = useStored('pending') ?? [];
  const [agents, setAgents] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string } | null>(null);

  /** Opens the question with the agents the relay holds now, so it names exactly what is revoked. */
  async function ask() {
    setError(null);
    setAgents(null);
    dialog.current?.showModal();
    const actors = await walletClient().then((relay) => relay.get<{ actors: Actor[] }>('/v1/wallet/actors')).catch(() => null);
    setAgents(actors ? actors.actors.filter((a) => a.status !== 'revoked').map((a) => a.name) : null);
  }

  async function run(localOnly: boolean) {
    setBusy(true);
    setError(null);
    const reply = (await browser.runtime.sendMessage({ type: 'wallet.unpair', localOnly })) as Reply<WalletUnpaired | null>;
    setBusy(false);
    if (reply.ok) return; // the pairing is gone: the page shows the pairing form
    const unreachable = reply.error.code === 'relay_unreachable';
    setError({
      text: unreachable
        ? `The relay at ${pairing.relayUrl} did not answer, so nothing was unpaired and your agents keep their mandates there. Start the relay and try again, or forget the pairing in this browser only.`
        : `Nothing was unpaired: ${reply.error.message}. Try again, or forget the pairing in this browser only.`,
    });
  }

  const agentsLine = agents === null
    ? 'Every agent and device of this wallet is revoked on the relay: their mandates end and they cannot pay any more.'
    : agents.length === 0
      ? 'This wallet has no agents or devices on the relay to revoke.'
      : `${agents.join(', ')} ${agents.length === 1 ? 'is' : 'are'} revoked on the relay: ${agents.length === 1 ? 'its mandate ends and it' : 'their mandates end and they'} cannot pay any more.`;
  return (
    <section aria-labelledby="unpair-heading">
      <h2 id="unpair-heading">Unpair</h2>
      <p class="muted">Stop using this browser as your wallet on {pairing.relayUrl}.</p>
      <button type="button" onClick={() => void ask()}>Unpair this browser…</button>
      <dialog ref={dialog} aria-labelledby="unpair-title">
        <h3 id="unpair-title">Unpair from {pairing.relayUrl}?</h3>
        <ul>
          <li>Approvals stop: this browser no longer asks you about payments{pending.length > 0 && `, and the ${plural(pending.length, 'payment', 'payments')} waiting for you now ${pending.length === 1 ? 'is' : 'are'} rejected (nothing is paid for ${pending.length === 1 ? 'it' : 'them'})`}.</li>
          <li>{agentsLine}</li>
          <li>Your records stay on the relay for its ledger, but this browser no longer shows them. Nothing already paid is refunded.</li>
          <li>To use AgentPay here again, pair with a new code: that makes a new wallet, with no agents yet.</li>
        </ul>
        {error && <p class="error" role="alert">{error.text}</p>}
        <p style="display:flex;gap:.5rem">
          <button type="button" class="danger" disabled={busy} onClick={() => void run(false)}>{busy ? 'Unpairing…' : 'Unpair'}</button>
          {error && <button type="button" disabled={busy} onClick={() => void run(true)}>Forget it in this browser only</button>}
          <button type="button" disabled={busy} onClick={() => dialog.current?.close()}>Keep paired</button>
        </p>
      </dialog>
    </section>
  );
}
