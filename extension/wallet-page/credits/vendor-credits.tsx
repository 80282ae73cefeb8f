import { formatMoney } from '@agentpay/protocol';
import type { ActorView } from '../api.ts';
import { AutoTopUpForm } from './auto-top-up-form.tsx';
import { balanceText, belowThreshold, priceText, type VendorCredits as Credits } from './labels.ts';
import { TopUpsTable } from './top-ups-table.tsx';
import { UsageChart } from './usage-chart.tsx';

/** One vendor's credits: the balance, its prices, what was used, what was bought, and the automatic top-up. */
export function VendorCredits({ credits, actors, onChanged }: { credits: Credits; actors: ActorView[] | undefined; onChanged: () => void }) {
  const headingId = `vendor-${credits.accountId}`;
  return (
    <li class="vendor-credits" data-account-id={credits.accountId} data-vendor-name={credits.vendor.name} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{credits.vendor.name}</h3>
        <p class="balance">
          Balance <strong data-balance-minor={credits.balance.minor}>{balanceText(credits)}</strong>
        </p>
      </header>
      {belowThreshold(credits) && (
        <p class="low" role="note">
          Below the {formatMoney(credits.autoTopUp!.threshold)} you set for an automatic top-up: see the latest top-up below.
        </p>
      )}
      {credits.prices.length > 0 && (
        <p class="prices">
          <span class="muted">Prices: </span>
          {credits.prices.map(priceText).join('; ')}
        </p>
      )}
      <UsageChart credits={credits} />
      <TopUpsTable topUps={credits.topUps} vendorName={credits.vendor.name} />
      {actors ? <AutoTopUpForm credits={credits} actors={actors} onChanged={onChanged} /> : <p class="muted">Loading agents…</p>}
    </li>
  );
}
