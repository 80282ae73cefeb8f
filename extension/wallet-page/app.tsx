import { useEffect, useState } from 'preact/hooks';
import { type Pairing, read, watch } from '../shared/state.ts';
import { NotPaired } from './not-paired.tsx';
import { Wallet } from './wallet.tsx';

/** The AI Wallet page: the wallet once paired, otherwise the way to pair. */
export function App() {
  const [pairing, setPairing] = useState<Pairing | null | undefined>(undefined);
  useEffect(() => {
    void read('pairing').then(setPairing);
    return watch('pairing', setPairing);
  }, []);
  return (
    <main>
      <h1>AI Wallet</h1>
      {pairing === undefined && <p class="muted">Loading…</p>}
      {pairing === null && <NotPaired />}
      {/* Keyed by wallet, so pairing with another relay starts the page afresh. */}
      {pairing && <Wallet key={`${pairing.relayUrl} ${pairing.walletId}`} pairing={pairing} />}
    </main>
  );
}
