import { useState } from 'preact/hooks';
import { readDecimalPrice } from '../checkout/money-text.ts';
import { pair, type PasskeyOutcome } from './pair.ts';
import { pairingFailure } from './pairing-errors.ts';

const DEFAULTS = { relayUrl: 'http://127.0.0.1:8787', pairingCode: '', walletName: 'My browser', usePasskey: false, stepUpAmount: '100.00', currency: 'CNY' };
type Fields = typeof DEFAULTS;

/**
 * The first thing a user sees: where their relay is and its pairing code.
 * What they typed stays after a failure (only the answer changes), so fixing
 * a mistyped code is retyping the code alone.
 */
export function Pairing({ relayUrl, onStart, onDone }: {
  /** The relay this browser last paired with, offered again after an unpair. */
  relayUrl?: string | undefined;
  onStart: () => void;
  onDone: (outcome: PasskeyOutcome | null) => void;
}) {
  const [fields, setFields] = useState<Fields>({ ...DEFAULTS, relayUrl: relayUrl ?? DEFAULTS.relayUrl });
  const [step, setStep] = useState<'idle' | 'pairing' | 'passkey'>('idle');
  const [error, setError] = useState<string | null>(null);
  const set = (name: keyof Fields) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement;
    const value = target.type === 'checkbox' ? target.checked : target.value;
    setFields((f) => ({ ...f, [name]: value }));
  };

  async function onSubmit(event: Event) {
    event.preventDefault();
    setError(null);
    let stepUp = null;
    if (fields.usePasskey) {
      const currency = fields.currency.trim().toUpperCase();
      try {
        stepUp = { minor: readDecimalPrice(fields.stepUpAmount || '0', currency), currency };
      } catch {
        setError(`"${fields.stepUpAmount}" is not an amount in ${currency || 'that currency'}: enter one such as 100.00, then press Pair again.`);
        return;
      }
    }
    setStep('pairing');
    onStart();
    try {
      // The passkey is asked for only after the relay took the code: say so while the prompt is up.
      const outcome = await pair({ relayUrl: fields.relayUrl, pairingCode: fields.pairingCode, walletName: fields.walletName.trim(), stepUp, onPaired: () => setStep('passkey') });
      onDone(outcome);
    } catch (cause) {
      setError(pairingFailure(cause, fields.relayUrl.trim()));
      setStep('idle');
      onDone(null);
    }
  }

  return (
    <form onSubmit={onSubmit}>
      <h2>Pair with your relay</h2>
      <p class="muted"><code>npm start</code> prints the relay's address and pairing code.</p>
      <label for="relayUrl">Relay URL</label>
      <input id="relayUrl" name="relayUrl" type="url" required value={fields.relayUrl} onInput={set('relayUrl')} />
      <label for="pairingCode">Pairing code</label>
      <input id="pairingCode" name="pairingCode" required autocomplete="off" spellcheck={false} value={fields.pairingCode} onInput={set('pairingCode')} />
      <label for="walletName">Wallet name</label>
      <input id="walletName" name="walletName" required value={fields.walletName} onInput={set('walletName')} />
      <label>
        <input type="checkbox" name="usePasskey" checked={fields.usePasskey} onChange={set('usePasskey')} /> Protect larger payments with a passkey
      </label>
      <label for="stepUpAmount">Ask for the passkey from</label>
      <div style="display:flex;gap:.5rem">
        <input id="stepUpAmount" name="stepUpAmount" inputMode="decimal" value={fields.stepUpAmount} onInput={set('stepUpAmount')} aria-label="Step-up amount" />
        <input id="currency" name="currency" value={fields.currency} onInput={set('currency')} maxLength={3} aria-label="Step-up currency" style="width:6rem" />
      </div>
      <p>
        <button class="primary" type="submit" disabled={step !== 'idle'}>
          {step === 'idle' ? 'Pair' : 'Pairing…'}
        </button>
      </p>
      {step === 'passkey' && <p role="status">Paired. Now create your passkey in the browser's prompt.</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
