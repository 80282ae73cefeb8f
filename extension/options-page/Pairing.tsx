import { ProtocolError } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import { readDecimalPrice } from '../checkout/money-text.ts';
import { pair } from './pair.ts';

/** The first thing a user sees: where their relay is and its pairing code. */
export function Pairing() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: Event) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const currency = field('currency').toUpperCase();
      const stepUp = data.get('usePasskey') ? { minor: readDecimalPrice(field('stepUpAmount') || '0', currency), currency } : null;
      await pair({ relayUrl: field('relayUrl'), pairingCode: field('pairingCode'), walletName: field('walletName'), stepUp });
    } catch (cause) {
      setError(cause instanceof ProtocolError ? `${cause.code}: ${cause.message}` : cause instanceof TypeError ? `the relay cannot be reached: ${cause.message}` : (cause as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit}>
      <h2>Pair with your relay</h2>
      <p class="muted">`npm start` prints the relay's address and pairing code.</p>
      <label for="relayUrl">Relay URL</label>
      <input id="relayUrl" name="relayUrl" type="url" required value="http://127.0.0.1:8787" />
      <label for="pairingCode">Pairing code</label>
      <input id="pairingCode" name="pairingCode" required autocomplete="off" />
      <label for="walletName">Wallet name</label>
      <input id="walletName" name="walletName" required value="My browser" />
      <label>
        <input type="checkbox" name="usePasskey" /> Protect larger payments with a passkey
      </label>
      <label for="stepUpAmount">Ask for the passkey from</label>
      <div style="display:flex;gap:.5rem">
        <input id="stepUpAmount" name="stepUpAmount" inputMode="decimal" value="100.00" aria-label="Step-up amount" />
        <input id="currency" name="currency" value="CNY" maxLength={3} aria-label="Step-up currency" style="width:6rem" />
      </div>
      <p>
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Pairing…' : 'Pair'}
        </button>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
