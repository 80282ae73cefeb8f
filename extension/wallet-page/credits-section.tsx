import type { ActorView } from './api.ts';
import { CreditNotices } from './credits/credit-notices.tsx';
import type { VendorCredits as Credits } from './credits/labels.ts';
import type { CreditNotice } from './credits/notices.ts';
import { VendorCredits } from './credits/vendor-credits.tsx';
import { ErrorNote } from './error-note.tsx';
import type { Loaded } from './use-wallet-data.ts';
import './credits/credits.css';

/**
 * Token Pay: the wallet's prepaid credits at AI vendors (GET /v1/wallet/credits), per vendor, with
 * news of automatic top-ups as the event stream brings it.
 */
export function CreditsSection(props: {
  credits: Loaded<Credits[]>; actors: ActorView[] | undefined; notices: readonly CreditNotice[]; onDismiss: (topUpId: string) => void; onChanged: () => void;
}) {
  const credits = props.credits.data;
  const vendorName = (vendorId: string) => credits?.find((c) => c.vendor.id === vendorId)?.vendor.name ?? 'a vendor';
  return (
    <section aria-labelledby="credits-heading" class="credits">
      <h2 id="credits-heading">AI credits</h2>
      <CreditNotices notices={props.notices} vendorName={vendorName} onDismiss={props.onDismiss} />
      <ErrorNote error={props.credits.error} />
      {!credits && !props.credits.error && <p class="muted">Loading…</p>}
      {credits && credits.length === 0 && <p class="muted">No AI credits yet: when an agent buys credits at a model vendor they appear here.</p>}
      {credits && credits.length > 0 && (
        <ul class="vendors" aria-label="Credits by vendor">
          {credits.map((c) => <VendorCredits key={c.accountId} credits={c} actors={props.actors} onChanged={props.onChanged} />)}
        </ul>
      )}
    </section>
  );
}
