/**
 * The test web: shops, a payment provider, a card vault and a news site on
 * distinct loopback origins, each shop registered with the relay as a
 * merchant, every server recording the cards it receives and the charges it
 * makes. Independent of any browser driver: the Chromium (Playwright) and
 * Firefox harnesses both start it with startWeb() and read web.ledger.
 */
import type { PageInfo } from './card-form.ts';
import { addHostedCheckout } from './hosted-checkout.ts';
import { Ledger } from './ledger.ts';
import { registerMerchant } from './merchant.ts';
import { mountForms } from './pages/forms.ts';
import { mountFrames } from './pages/frames.ts';
import { mountKeepWorking } from './pages/keep-working.ts';
import { mountLayouts } from './pages/layouts.ts';
import { mountMultistep } from './pages/multistep.ts';
import { mountPaymentRequest } from './pages/payment-request.ts';
import { mountScripts } from './pages/scripts.ts';
import { mountShadow } from './pages/shadow.ts';
import { mountTotals } from './pages/totals.ts';
import { startProvider } from './provider.ts';
import { createShop, type Shop } from './shop.ts';
import { type Site, startSite } from './site.ts';

export { AGENT_CARD, Ledger, isTokenCard } from './ledger.ts';
export type { PageInfo } from './card-form.ts';

export interface Web {
  ledger: Ledger;
  /** "Atelier Nord" on 127.0.0.1 (EUR and other locales): forms, scripts, shadow DOM, totals, PaymentRequest. */
  nord: Shop;
  /** "Harbor & Pine" on 127.0.0.2 (USD): provider frames and hosted pages. */
  harbor: Shop;
  /** Every page, by id. */
  pages: Map<string, PageInfo>;
  page(id: string): PageInfo;
  /** Every origin of the web, for messages and the Firefox harness. */
  sites: Site[];
  close(): Promise<void>;
}

export async function startWeb(options: { relayUrl: string }): Promise<Web> {
  const ledger = new Ledger();
  const nordSite = await startSite({ label: 'Atelier Nord (shop, 127.0.0.1)', bindHost: '127.0.0.1', ledger });
  const harborSite = await startSite({ label: 'Harbor & Pine (shop, 127.0.0.2)', bindHost: '127.0.0.2', ledger });
  const news = await startSite({ label: 'The Daily Ledger (news, 127.0.0.2)', bindHost: '127.0.0.2', ledger });
  const labels = (field: string) => ({ number: `${field} card number`, expiry: `${field} expiration date`, cvc: `${field} security code` });
  const provider = await startProvider({
    label: 'Paystream (payment provider, localhost)', ledger,
    kits: {
      paystream: { global: 'Paystream', kit: { prefix: 'paystream', transport: 'fetch', tokenizePath: '/v1/payment_methods', labels: labels('Secure') } },
      'hosted-fields': { global: 'HostedFields', kit: { prefix: 'hosted-fields', transport: 'xhr', tokenizePath: '/client_api/v1/payment_methods/credit_cards', labels: labels('Hosted') } },
    },
  });
  const vault = await startProvider({
    label: 'CardVault (card vault, localhost)', ledger,
    kits: { vault: { global: 'CardVault', kit: { prefix: 'vault', transport: 'fetch', tokenizePath: '/sessions', labels: labels('Field container for:') } } },
  });
  // Harbor & Pine's checkout domain, run by the provider for the shop (as Stripe Checkout custom domains are).
  const checkoutDomain = await startSite({ label: 'Harbor & Pine checkout (run by Paystream, localhost)', bindHost: '127.0.0.1', urlHost: 'localhost', ledger });
  const sites = [nordSite, harborSite, news, provider.site, vault.site, checkoutDomain];
  try {
    const nord = createShop('Atelier Nord', nordSite, await registerMerchant(options.relayUrl, 'Atelier Nord', [nordSite], ledger), ledger);
    const harbor = createShop('Harbor & Pine', harborSite, await registerMerchant(options.relayUrl, 'Harbor & Pine', [harborSite, checkoutDomain], ledger), ledger);
    const hosted = addHostedCheckout(provider, new Map<Shop, Site>([[harbor, checkoutDomain]]));
    const all = [
      ...mountForms(nord), ...mountMultistep(nord), ...mountLayouts(nord), ...mountScripts(nord), ...mountShadow(nord),
      ...mountTotals(nord), ...mountPaymentRequest(nord), ...(await mountKeepWorking(nord, news)),
      ...mountFrames(harbor, provider, vault, hosted, checkoutDomain),
    ];
    const pages = new Map(all.map((p) => [p.id, p]));
    return {
      ledger, nord, harbor, pages, sites,
      page(id) {
        const found = pages.get(id);
        if (!found) throw new Error(`no page "${id}" in the test web; there are ${[...pages.keys()].join(', ')}`);
        return found;
      },
      close: async () => {
        await Promise.all(sites.map((site) => site.close()));
      },
    };
  } catch (error) {
    await Promise.all(sites.map((site) => site.close()));
    throw error;
  }
}
