import type { WalletSettings } from '@agentpay/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { PasskeyOutcome } from './pair.ts';
import { passkeyFailure } from './pairing-errors.ts';
import { StepUpAmounts } from './StepUpAmounts.tsx';
import { addPasskey, loadWalletSettings } from './wallet-security.ts';

type Loaded = { kind: 'loading' } | { kind: 'ready'; settings: WalletSettings } | { kind: 'failed'; message: string };

/** The wallet's passkey and the amounts from which approving needs it, as the relay holds them. */
export function WalletSecurity({ relayUrl, outcome }: { relayUrl: string; outcome: PasskeyOutcome | null }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const unreachable = `The relay at ${relayUrl} did not answer, so the passkey and step-up amounts cannot be shown: check that it is running, then reload this page.`;
  useEffect(() => {
    loadWalletSettings().then((settings) => setLoaded({ kind: 'ready', settings }), () => setLoaded({ kind: 'failed', message: unreachable }));
  }, [relayUrl]);
  if (loaded.kind === 'loading') return <p class="muted">Reading the wallet's passkey and step-up amounts…</p>;
  if (loaded.kind === 'failed') return <p class="error" role="alert">{loaded.message}</p>;
  const onChanged = (settings: WalletSettings) => setLoaded({ kind: 'ready', settings });
  return (
    <>
      <Passkey settings={loaded.settings} outcome={outcome} onChanged={onChanged} />
      <StepUpAmounts settings={loaded.settings} onChanged={onChanged} />
    </>
  );
}

function Passkey({ settings, outcome, onChanged }: { settings: WalletSettings; outcome: PasskeyOutcome | null; onChanged: (s: WalletSettings) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(outcome?.kind === 'failed' ? `Paired without a passkey: ${passkeyFailure(outcome.error)}. Add one below to protect larger payments.` : null);
  async function add() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await addPasskey());
    } catch (cause) {
      setError(`No passkey was added: ${passkeyFailure(cause)}. Press "Add a passkey" to try again.`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="passkey-heading">
      <h2 id="passkey-heading">Passkey</h2>
      {settings.passkey ? (
        <p role="status">A passkey protects this wallet: approving a payment from the step-up amount needs your fingerprint, face or PIN.</p>
      ) : (
        <>
          <p role="status">No passkey: approving any payment needs only a click in the confirmation window.</p>
          <button type="button" onClick={() => void add()} disabled={busy}>
            {busy ? 'Waiting for the passkey…' : 'Add a passkey'}
          </button>
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
