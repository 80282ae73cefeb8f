import { WalletSettings, WalletUnpaired } from '@agentpay/protocol';
import { forgetKeys } from '../shared/keys.ts';
import { walletClient } from '../shared/relay.ts';
import { read, write } from '../shared/state.ts';
import { refuseAllAmounts } from './amounts.ts';
import { rejectAll } from './checkouts.ts';

const WHY = 'you unpaired this browser from its relay, so this payment was rejected; nothing was paid';

/**
 * Unpairs this browser. Payments waiting in the confirmation window are
 * rejected first, while the wallet's key can still sign the rejections;
 * then the relay revokes the wallet's agents and retires its key; then the
 * keys and the pairing are forgotten here, so every page shows the pairing
 * form again. The relay is asked whether it answers before anything is
 * rejected, so a relay that is down changes nothing unless the user chose
 * `localOnly` (forget the pairing here; the relay keeps the wallet).
 */
export async function unpair({ localOnly }: { localOnly: boolean }): Promise<WalletUnpaired | null> {
  const wallet = await walletClient();
  if (!localOnly) WalletSettings.parse(await wallet.get('/v1/wallet'));
  await refuseAllAmounts(WHY);
  await rejectAll(await read('pending'), WHY);
  const unpaired = localOnly ? null : WalletUnpaired.parse(await wallet.post('/v1/wallet/unpair', {}));
  await forgetKeys();
  await write('agents', {});
  await write('handedTabs', {});
  await write('pairing', null);
  return unpaired;
}
