import { type WalletMerchant, WalletMerchants } from '@agentpay/protocol';
import { useEffect, useState } from 'preact/hooks';
import { walletClient } from '../../shared/relay.ts';
import { type ErrorInfo, errorInfo } from '../errors.ts';

/** `GET /v1/wallet/merchants`: the merchants this wallet has paid, been asked to pay, or named in a mandate. */
export async function listWalletMerchants(): Promise<WalletMerchant[]> {
  const answer = await (await walletClient()).get<unknown>('/v1/wallet/merchants');
  return WalletMerchants.parse(answer).merchants;
}

export interface MerchantsState {
  /** Undefined until the first answer (or failure). */
  merchants?: WalletMerchant[];
  error?: ErrorInfo;
  /** Whether the page can speak of merchants yet: loaded, or failed and falling back to ids. */
  settled: boolean;
}

/** The wallet's merchants, loaded again whenever `reloadOn` changes (the page refreshes it on every wallet event). */
export function useWalletMerchants(reloadOn: unknown): MerchantsState {
  const [state, setState] = useState<MerchantsState>({ settled: false });
  useEffect(() => {
    let current = true;
    listWalletMerchants().then(
      (merchants) => current && setState({ merchants, settled: true }),
      // Keep the names already shown; say why they may be out of date.
      (error: unknown) => current && setState((s) => ({ ...s, error: errorInfo(error), settled: true })),
    );
    return () => {
      current = false;
    };
  }, [reloadOn]);
  return state;
}
