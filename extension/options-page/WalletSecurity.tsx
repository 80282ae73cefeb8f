import { formatMoney, type WalletSettings } from '@agentpay/protocol';
import { useEffect, useState } from 'preact/hooks';
import { readDecimalPrice } from '../checkout/money-text.ts';
import type { PasskeyOutcome } from './pair.ts';
import { passkeyFailure } from './pairing-errors.ts';
import { addPasskey, loadWalletSettings, setStepUpAmount } from './wallet-security.ts';

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

function StepUpAmounts({ settings, onChanged }: { settings: WalletSettings; onChanged: (s: WalletSettings) => void }) {
  const thresholds = settings.stepUp.thresholds;
  const [currency, setCurrency] = useState(thresholds[0]?.currency ?? 'CNY');
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: Event) {
    event.preventDefault();
    const code = currency.trim().toUpperCase();
    let minor: number;
    try {
      minor = readDecimalPrice(amount, code);
    } catch {
      setMessage({ ok: false, text: `"${amount}" is not an amount in ${code || 'that currency'}: enter one such as 100.00.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const saved = await setStepUpAmount({ minor, currency: code });
      onChanged(saved);
      setAmount('');
      setMessage({ ok: true, text: `Saved: payments from ${formatMoney({ minor, currency: code })} ${saved.passkey ? 'ask for your passkey' : 'will ask for a passkey once you add one'}.` });
    } catch (cause) {
      const name = (cause as { name?: string })?.name;
      setMessage({
        ok: false,
        text: name === 'NotAllowedError'
          ? 'The amount was not changed: the passkey prompt was cancelled, and changing the amount needs it.'
          : `The amount was not changed: ${(cause as Error).message}.`,
      });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="step-up-heading">
      <h2 id="step-up-heading">Step-up amounts</h2>
      {thresholds.length > 0 ? (
        <ul aria-label="Step-up amounts">
          {thresholds.map((t) => <li key={t.currency}>{`${t.currency}: from ${formatMoney(t)}`}</li>)}
        </ul>
      ) : (
        <p>None set.</p>
      )}
      <p class="muted">
        {settings.passkey
          ? 'Approving a payment from these amounts asks for your passkey; a payment in a currency without an amount always asks. Changing an amount asks for it too.'
          : 'These take effect once you add a passkey.'}
      </p>
      <form onSubmit={onSubmit} style="display:flex;gap:.5rem;align-items:end">
        <div style="flex:1">
          <label for="newStepUpAmount">Ask for the passkey from</label>
          <input id="newStepUpAmount" inputMode="decimal" required placeholder="e.g. 50.00" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div style="width:6rem">
          <label for="newStepUpCurrency">Currency</label>
          <input id="newStepUpCurrency" maxLength={3} required value={currency} onInput={(e) => setCurrency((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save amount'}</button>
      </form>
      {message && <p class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </section>
  );
}
