import { render } from 'preact';
import { Pairing } from '../../options-page/Pairing.tsx';
import { Connection } from '../../options-page/Connection.tsx';
import { Preferences } from '../../options-page/Preferences.tsx';
import { useStored } from '../../ui/use-stored.ts';

function Options() {
  const pairing = useStored('pairing');
  if (pairing === undefined) return <p>Loading…</p>;
  return (
    <>
      <h1>AgentPay</h1>
      {pairing ? <Connection pairing={pairing} /> : <Pairing />}
      {pairing && <Preferences />}
    </>
  );
}

render(<Options />, document.getElementById('app')!);
