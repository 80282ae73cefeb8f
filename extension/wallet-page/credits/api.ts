import { AutoTopUp, type AutoTopUpSetting, WalletCredits } from '@agentpay/protocol';
import * as z from 'zod';
import { walletClient } from '../../shared/relay.ts';

const NOT_UNDERSTOOD = 'the relay answered in a form this extension does not know; update the extension and the relay to the same version.';

/** The wallet's credits at each vendor (GET /v1/wallet/credits), read with the protocol's schema. */
export async function walletCredits(): Promise<WalletCredits['credits']> {
  const parsed = WalletCredits.safeParse(await (await walletClient()).get<unknown>('/v1/wallet/credits'));
  if (!parsed.success) throw new Error(`Your AI credits could not be read: ${NOT_UNDERSTOOD} Nothing was paid or changed.`);
  return parsed.data.credits;
}

const AutoTopUpAnswer = z.object({ autoTopUp: AutoTopUp.nullable() });

/** Sets the account's automatic top-up, or turns it off with null. */
export async function saveAutoTopUp(accountId: string, setting: AutoTopUpSetting | null): Promise<AutoTopUp | null> {
  const answer = await (await walletClient()).put<unknown>(`/v1/wallet/credits/${encodeURIComponent(accountId)}/auto-top-up`, { autoTopUp: setting });
  const parsed = AutoTopUpAnswer.safeParse(answer);
  if (!parsed.success) throw new Error(`The automatic top-up may have been saved, but ${NOT_UNDERSTOOD} Reload the page to see it.`);
  return parsed.data.autoTopUp;
}
