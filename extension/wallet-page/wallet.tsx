import type { Pairing } from '../shared/state.ts';
import { AgentsSection } from './agents-section.tsx';
import { CreditsSection } from './credits-section.tsx';
import { useCreditNotices } from './credits/use-credit-notices.ts';
import { RecordsSection } from './records-section.tsx';
import { SpendingSection } from './spending-section.tsx';
import { TasksSection } from './tasks-section.tsx';
import { useWalletData } from './use-wallet-data.ts';

/** The paired wallet: agents, what they bought, what they are doing, where the money went, and its AI credits. */
export function Wallet({ pairing }: { pairing: Pairing }) {
  const notices = useCreditNotices();
  const { data, stream, tick, refresh } = useWalletData(notices.onEvent);
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
      <CreditsSection credits={data.credits} actors={data.actors.data} notices={notices.notices} onDismiss={notices.dismiss} onChanged={onChanged} />
    </>
  );
}
