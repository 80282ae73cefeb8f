import {
  AGENTPAY_SCHEME, AGENTPAY_UPTO_SCHEME, AgentPayRequirements, type AgentPaySchemeName, Currency, decimalToMinor, facilitatorAuthHeaders,
  type Signer, SupportedResponse,
} from '@agentpay/protocol';
import { HTTPFacilitatorClient, type RoutesConfig, x402HTTPResourceServer, x402ResourceServer } from '@x402/core/server';
import type { AssetAmount, Network, PaymentRequirements, Price, SchemeNetworkServer } from '@x402/core/types';

/**
 * AgentPay's `exact` scheme for the official x402 resource server. Prices are AgentPay money:
 * `{ amount: '1250', asset: 'CNY' }` (minor units), or text such as `'12.50 CNY'`. The relay,
 * as the facilitator, does the rest.
 */
export class AgentPayServerScheme implements SchemeNetworkServer {
  readonly scheme: AgentPaySchemeName = AGENTPAY_SCHEME;
  /** AgentPay has one way to move money (a token the relay charges), so no on-wire method. */
  readonly defaultAssetTransferMethod = 'default';
  /** Verify before the handler runs, charge after it answered well: nothing is charged for a failed handler. */
  readonly paymentFlows = { default: { supported: ['authorization'] as const, default: 'authorization' as const } };

  async parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    if (typeof price === 'object') {
      const checked = AgentPayRequirements.safeParse({ scheme: this.scheme, network, amount: price.amount, asset: price.asset, payTo: '-', maxTimeoutSeconds: 1, extra: price.extra ?? {} });
      if (!checked.success) throw new Error(`an AgentPay price is { amount: minor units as a string, asset: an ISO 4217 code }: ${checked.error.issues.map((i) => i.message).join('; ')}`);
      return { amount: price.amount, asset: price.asset, ...(price.extra ? { extra: price.extra } : {}) };
    }
    const match = /^\s*(?:([A-Z]{3})\s+)?(\d+(?:\.\d+)?)(?:\s+([A-Z]{3}))?\s*$/.exec(String(price));
    const currency = match?.[1] ?? match?.[3];
    if (!match || !currency || !Currency.safeParse(currency).success) {
      throw new Error(`an AgentPay price names its currency, e.g. "12.50 CNY", not ${JSON.stringify(price)}`);
    }
    return { amount: String(decimalToMinor(match[2]!, currency)), asset: currency };
  }

  async enhancePaymentRequirements(requirements: PaymentRequirements): Promise<PaymentRequirements> {
    return requirements;
  }
}

/**
 * AgentPay's `upto` scheme (x402's metered scheme) for the official x402 resource server: the
 * route's price is the most a request may cost; the agent's token allows that maximum, and after
 * the handler answered the middleware settles the amount the handler set with
 * `setSettlementOverrides(c, { amount })` (minor units, at most the price, "0" for nothing), or
 * the whole price when it set none. The relay charges that and gives the rest back to the user.
 */
export class AgentPayUptoServerScheme extends AgentPayServerScheme {
  override readonly scheme: AgentPaySchemeName = AGENTPAY_UPTO_SCHEME;
}

/** What a merchant needs to be paid through its relay. */
export interface AgentPayResourceServerOptions {
  /** The relay's facilitator, e.g. `http://127.0.0.1:8787/x402`. */
  facilitatorUrl: string;
  /** The merchant's id and key as registered at the relay: it signs each verify and settle. */
  merchant: Signer;
  /** Paid routes, as the official server takes them (`'GET /report': { accepts: {...} }`). */
  routes: (network: Network) => RoutesConfig;
}

/**
 * The official x402 HTTP resource server with AgentPay's schemes (`exact`, `upto`) registered and
 * the relay as its facilitator, initialised (it has read and checked the relay's `/supported`).
 * `routes` receives the relay's network id to put in each `accepts`.
 */
export async function agentpayResourceServer(options: AgentPayResourceServerOptions): Promise<x402HTTPResourceServer> {
  const facilitator = new HTTPFacilitatorClient({
    url: options.facilitatorUrl,
    createAuthHeaders: facilitatorAuthHeaders(options.merchant, options.facilitatorUrl),
  });
  const network = await relayNetworkOf(facilitator);
  const resourceServer = new x402ResourceServer(facilitator)
    .register('agentpay:*', new AgentPayServerScheme())
    .register('agentpay:*', new AgentPayUptoServerScheme());
  const httpServer = new x402HTTPResourceServer(resourceServer, options.routes(network));
  await httpServer.initialize();
  return httpServer;
}

async function relayNetworkOf(facilitator: HTTPFacilitatorClient): Promise<Network> {
  const kind = SupportedResponse.parse(await facilitator.getSupported()).kinds.find((k) => k.scheme === AGENTPAY_SCHEME && k.network.startsWith('agentpay:'));
  if (!kind) throw new Error('the facilitator does not settle any agentpay: network');
  return kind.network as Network;
}
