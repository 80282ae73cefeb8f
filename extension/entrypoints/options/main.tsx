import { render } from 'preact';
import { useState } from 'preact/hooks';
import { Connection } from '../../options-page/Connection.tsx';
import type { PasskeyOutcome } from '../../options-page/pair.ts';
import { Pairing } from '../../options-page/Pairing.tsx';
import { Preferences } from '../../options-page/Preferences.tsx';
import { Unpair } from '../../options-page/Unpair.tsx';
import { WalletSecurity } from '../../options-page/WalletSecurity.tsx';
import { useStored } from '../../ui/use-stored.ts';

function Options() {
  const pairing = useStored('pairing');
  const settings = useStored('settings');
  // The pairing form stays up until its passkey step is over, though the pairing is stored before it.
  const [pairingNow, setPairingNow] = useState(false);
  const [outcome, setOutcome] = useState<PasskeyOutcome | null>(null);
  if (pairing === undefined || settings === undefined) return <p>Loading…</p>;
  if (!pairing || pairingNow) {
    return (
      <>
        <h1>AgentPay</h1>
        <Pairing relayUrl={settings.lastRelayUrl} onStart={() => setPairingNow(true)} onDone={(result) => { setOutcome(result); setPairingNow(false); }} />
      </>
    );
  }
  return (
    <>
      <h1>AgentPay</h1>
      <Connection pairing={pairing} />
      <WalletSecurity key={pairing.walletId} relayUrl={pairing.relayUrl} outcome={outcome} />
      <Preferences />
      <Unpair pairing={pairing} />
    </>
  );
}

render(<Options />, document.getElementById('app')!);
