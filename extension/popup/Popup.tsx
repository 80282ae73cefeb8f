import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Reply } from '../shared/messages.ts';
import { liveRequests } from '../shared/waiting.ts';
import { useStored } from '../ui/use-stored.ts';

/**
 * The toolbar menu: what is waiting, the AI Wallet, and handing the current
 * tab to an agent, so its checkouts are held and paid under that agent's mandate.
 */
export function Popup() {
  const pairing = useStored('pairing');
  const pending = useStored('pending');
  const amounts = useStored('amountRequests');
  const agents = useStored('agents');
  const handed = useStored('handedTabs');
  const [tabId, setTabId] = useState<number | null>(null);
  const [agentName, setAgentName] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => setTabId(tab?.id ?? null));
  }, []);

  if (pairing === undefined) return <p>Loading…</p>;
  if (!pairing) {
    return <button class="primary" onClick={() => void browser.runtime.openOptionsPage()}>Pair with your relay</button>;
  }

  async function handTab(event: Event) {
    event.preventDefault();
    if (tabId === null) return;
    const reply = (await browser.runtime.sendMessage({ type: 'tab.hand', tabId, agentName })) as Reply;
    setMessage(reply.ok ? { text: `This tab reloaded, and its checkouts are now held for ${agentName} from the page's first script.`, error: false } : { text: reply.error.message, error: true });
  }

  const handedTo = tabId !== null ? handed?.[tabId] : undefined;
  // The same count as the badge and the window: only requests still awaiting the user.
  const waiting = pending && amounts ? liveRequests(pending, amounts).count : 0;
  return (
    <>
      {waiting > 0 ? (
        <button class="primary" onClick={() => void browser.runtime.sendMessage({ type: 'confirm.open' })}>
          {waiting} payment{waiting > 1 ? 's' : ''} waiting for you
        </button>
      ) : (
        <p role="status" class="muted">Nothing is waiting for you.</p>
      )}
      <button onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/wallet.html') })}>Open AI Wallet</button>
      <form onSubmit={handTab}>
        <label for="agent-name">{handedTo ? `This tab is handed to ${handedTo}` : 'Hand this tab to an agent'}</label>
        <input id="agent-name" list="agents" required value={agentName} onInput={(e) => setAgentName((e.currentTarget as HTMLInputElement).value)} placeholder="Agent name" />
        <datalist id="agents">{Object.keys(agents ?? {}).map((name) => <option key={name} value={name} />)}</datalist>
        <button type="submit" disabled={tabId === null || !agentName.trim()}>Hand to agent</button>
      </form>
      {message && <p class={message.error ? 'error' : 'ok'} role="status">{message.text}</p>}
      <button onClick={() => void browser.runtime.openOptionsPage()}>Settings</button>
    </>
  );
}
