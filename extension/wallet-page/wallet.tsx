import type { Pairing } from '../shared/state.ts';
import { AgentsSection } from './agents-section.tsx';
import { RecordsSection } from './records-section.tsx';
import { SpendingSection } from './spending-section.tsx';
import { TasksSection } from './tasks-section.tsx';
import { useWalletData } from './use-wallet-data.ts';

/** The paired wallet: agents, what they bought, what they are doing, and where the money went. */
export function Wallet({ pairing }: { pairing: Pairing }) {
  const { data, stream, tick, refresh } = useWalletData();
  const onChanged = () => void refresh();
  // New mandates start in the currency the user actually pays in.
  const currency = data.records.data?.[0]?.amount.currency ?? data.analysis.data?.byCategory[0]?.currency ?? 'CNY';
  return (
    <>
      <p class="muted">
        Wallet <strong>{pairing.walletName}</strong> on {new URL(pairing.relayUrl).host}
      </p>
      <AgentsSection actors={data.actors} walletId={pairing.walletId} currency={currency} onChanged={onChanged} />
      <RecordsSection records={data.records} onChanged={onChanged} />
      <TasksSection tasks={data.tasks} actors={data.actors.data} stream={stream} tick={tick} onChanged={onChanged} />
      <SpendingSection analysis={data.analysis} />
    </>
  );
}
