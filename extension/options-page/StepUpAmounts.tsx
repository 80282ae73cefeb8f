import { formatMoney, type WalletSettings } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import { readDecimalPrice } from '../checkout/money-text.ts';
import { setStepUpAmount } from './wallet-security.ts';

/** The amounts, per currency, from which approving a payment needs the passkey; changing one needs it too. */
export function StepUpAmounts({ settings, onChanged }: { settings: WalletSettings; onChanged: (s: WalletSettings) => void }) {
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
