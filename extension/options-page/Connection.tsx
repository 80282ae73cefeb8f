import { useEffect, useState } from 'preact/hooks';
import type { Pairing } from '../shared/state.ts';

type State = { kind: 'checking' } | { kind: 'connected'; store: string } | { kind: 'down'; message: string };

/** Where the wallet is paired, and whether the relay answers right now. */
export function Connection({ pairing }: { pairing: Pairing }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  useEffect(() => {
    const check = () =>
      fetch(new URL('/v1/health', pairing.relayUrl))
        .then(async (response) => {
          const body = (await response.json()) as { ok: boolean; store: string };
          setState(body.ok ? { kind: 'connected', store: body.store } : { kind: 'down', message: `answered ${response.status}` });
        })
        .catch((error: Error) => setState({ kind: 'down', message: error.message }));
    void check();
    const timer = setInterval(check, 5000);
    return () => clearInterval(timer);
  }, [pairing.relayUrl]);

  return (
    <section>
      <h2>Paired</h2>
      <dl>
        <dt>Relay</dt>
        <dd>{pairing.relayUrl}</dd>
        <dt>Wallet</dt>
        <dd>
          {pairing.walletName} <span class="muted">({pairing.walletId})</span>
        </dd>
        <dt>Connection</dt>
        <dd role="status" data-connection={state.kind}>
          {state.kind === 'checking' && 'checking…'}
          {state.kind === 'connected' && `connected (${state.store})`}
          {state.kind === 'down' && <span class="error">relay unreachable: {state.message}</span>}
        </dd>
      </dl>
    </section>
  );
}
