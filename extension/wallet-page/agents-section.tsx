import { useState } from 'preact/hooks';
import type { ActorView } from './api.ts';
import { AgentCard } from './agent-card.tsx';
import { ConnectAgent } from './connect-agent.tsx';
import { CreateAgent } from './create-agent.tsx';
import { ErrorNote } from './error-note.tsx';
import { useWalletMerchants } from './mandate/use-merchants.ts';
import type { Loaded } from './use-wallet-data.ts';

/** Agents and devices that pay for the user, newest last as the relay lists them. */
export function AgentsSection(props: { actors: Loaded<ActorView[]>; walletId: string; currency: string; onChanged: () => void }) {
  const actors = props.actors.data;
  // Merchant names for the sentences and the form, read again whenever the agents are.
  const known = useWalletMerchants(actors);
  // "Created Tea buyer." is news only until the next change: a mandate saved, an agent paused, another made.
  const [created, setCreated] = useState<string | undefined>(undefined);
  const changed = () => {
    setCreated(undefined);
    props.onChanged();
  };
  return (
    <section aria-labelledby="agents-heading">
      <h2 id="agents-heading">Agents</h2>
      <ErrorNote error={props.actors.error} />
      <ErrorNote error={known.error} />
      {(!actors || !known.settled) && !props.actors.error && <p class="muted">Loading…</p>}
      {actors && actors.length === 0 && <p class="muted">No agents yet. Create one below, then hand it a tab from the toolbar button.</p>}
      {actors && known.settled && actors.length > 0 && (
        <ul class="agents">
          {actors.map((actor) => (
            <AgentCard key={actor.id} actor={actor} walletId={props.walletId} currency={props.currency} merchants={known.merchants ?? []} onChanged={changed} />
          ))}
        </ul>
      )}
      <CreateAgent
        created={created}
        onCreated={(_, name) => {
          setCreated(name);
          props.onChanged();
        }}
      />
      <ConnectAgent />
    </section>
  );
}
