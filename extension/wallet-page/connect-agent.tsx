import type { AgentInvite } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import { walletClient } from '../shared/relay.ts';
import { ErrorNote } from './error-note.tsx';
import { useAction } from './use-action.ts';

/** Asks the relay for a single-use agent code for this wallet (POST /v1/wallet/agent-invites). */
async function makeAgentCode(): Promise<AgentInvite> {
  return (await walletClient()).post<AgentInvite>('/v1/wallet/agent-invites', {});
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * "Connect an agent": for an agent that runs elsewhere (a script, `npm run demo:agent`) and keeps its
 * own key. The user makes a code here and hands it over; the agent joins this wallet with no mandate,
 * so each of its payments comes to the confirmation window and then shows among the records.
 */
export function ConnectAgent() {
  const [invite, setInvite] = useState<AgentInvite | undefined>(undefined);
  const make = useAction(makeAgentCode);

  async function submit(event: Event) {
    event.preventDefault();
    const made = await make.run();
    if (made) setInvite(made);
  }

  return (
    <form class="connect-agent" onSubmit={submit} aria-labelledby="connect-agent-heading">
      <h3 id="connect-agent-heading">Connect an agent</h3>
      <p class="muted">For an agent running outside this browser: give it a code, and it can ask to pay from this wallet. You confirm each of its payments until you set it a mandate.</p>
      <button type="submit" disabled={make.busy}>
        {invite ? 'Make another code' : 'Make an agent code'}
      </button>
      {invite && (
        <div class="agent-code" role="status">
          <p>
            Agent code: <output aria-label="Agent code">{invite.code}</output>
          </p>
          <p class="muted">Works once, until {time(invite.expiresAt)}. For the demo agent, run:</p>
          <pre>npm run demo:agent -- --agent-code {invite.code}</pre>
        </div>
      )}
      <ErrorNote error={make.error} />
    </form>
  );
}
