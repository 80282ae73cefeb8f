import { Money, PaymentState } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import * as z from 'zod';

/**
 * What the extension remembers, in `storage.local` so that it survives the
 * service worker being stopped (MV3 does that after 30 idle seconds) and the
 * browser restarting. Each item is validated when read.
 */
export const Pairing = z.object({
  relayUrl: z.url(),
  walletId: z.string(),
  walletName: z.string(),
  /** The passkey registered at pairing, asked for above the step-up amounts. */
  passkey: z.object({ credentialId: z.string() }).nullable(),
  pairedAt: z.string(),
});
export type Pairing = z.infer<typeof Pairing>;

export const Settings = z.object({
  /** Hold checkouts a person makes in this browser too, not only agents'. */
  holdHumanCheckouts: z.boolean().default(false),
  /** The relay this browser last paired with: the pairing form offers it again after an unpair or a failed try. */
  lastRelayUrl: z.string().optional(),
});
export type Settings = z.infer<typeof Settings>;

/** Agents this extension signs for, by name. */
export const LocalAgents = z.record(
  z.string(),
  z.object({
    actorId: z.string(),
    /**
     * The relay's last decision for this agent asked the user because its mandate cannot pay on
     * its own (none set, or "confirm each"): its next payment opens the window while the relay is asked.
     */
    asksEveryTime: z.boolean().optional(),
  }),
);

/** Tabs the user handed to an agent from the toolbar: tab id → agent name. */
export const HandedTabs = z.record(z.string(), z.string());

/** How a checkout reached the wallet; `remote-agent`: an agent outside this browser, connected with an agent code. */
export const Shape = z.enum(['card-form', 'card-request', 'payment-request', 'http-402', 'provider', 'qr', 'remote-agent']);
export type Shape = z.infer<typeof Shape>;

/** A checkout waiting for the user, with everything the confirmation window shows. */
export const PendingCheckout = z.object({
  checkoutId: z.string(),
  intentId: z.string(),
  shape: Shape,
  tabId: z.number(),
  frameId: z.number(),
  /** The page's origin as the browser saw it, not as the page describes itself (for card fields in a frame: the top page's). */
  origin: z.string(),
  /** Where the card was going when it was held, when that is another origin (a payment provider's). */
  cardSentTo: z.string().nullable().default(null),
  /** Origins of the frames whose card fields take the token's card (the frame the card was held in, the top page). */
  cardOrigins: z.array(z.string()).default([]),
  agentName: z.string(),
  actorId: z.string(),
  /** The relay's confirmation request: exactly what the approval signs. */
  confirmation: z.object({
    intentId: z.string(),
    actorName: z.string(),
    merchant: z.object({
      id: z.string(),
      name: z.string(),
      origins: z.array(z.string()),
      /** Only these are the merchant's own sites (it served the relay a signed proof on each). */
      provenOrigins: z.array(z.string()).default([]),
      /** Established merchants whose names look like this one's: the window warns. */
      lookalikes: z.array(z.object({ id: z.string(), name: z.string(), provenOrigins: z.array(z.string()) })).default([]),
    }),
    claims: z.object({
      type: z.literal('agentpay.approval.v1'),
      intentId: z.string(),
      merchantId: z.string(),
      amount: z.object({ minor: z.number(), currency: z.string() }),
      lineItems: z.array(z.object({ name: z.string(), quantity: z.number(), unitMinor: z.number() })),
      category: z.string(),
    }),
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    risk: z.array(z.object({ code: z.string(), message: z.string() })),
    mandateId: z.string().nullable(),
    /** The mandate in words and its budget left (relays that send it; older ones send only mandateId). */
    mandate: z.object({ description: z.string(), budgetLeft: z.object({ minor: z.number(), currency: z.string() }).nullable() }).optional(),
    /** Where the money comes from, as far as the relay knows. */
    fundingSource: z.string().optional(),
    expiresAt: z.string(),
    stepUp: z.boolean().default(false),
  }),
  description: z.string().nullable(),
  /** For QR payments: where the merchant's code said to deliver the token. */
  notify: z.object({ url: z.string(), reference: z.string() }).nullable(),
  createdAt: z.string(),
});
export type PendingCheckout = z.infer<typeof PendingCheckout>;

/**
 * A checkout the relay is still deciding, shown in the window opened for it meanwhile (see
 * background/early-window.ts); it becomes a PendingCheckout or an Outcome within a second.
 */
export const Checking = z.object({
  checkoutId: z.string(),
  agentName: z.string(),
  /** The site the browser saw the checkout on. */
  origin: z.string(),
  /** Null until the order is read (a card form's total is read once the merchant is known). */
  amount: Money.nullable(),
  startedAt: z.string(),
});
export type Checking = z.infer<typeof Checking>;

/**
 * A card checkout whose page shows no total the wallet can read: before
 * anything is asked of the relay, the user says in the confirmation window
 * what the shop asks for, and then approves that amount like any other.
 */
export const AmountRequest = z.object({
  checkoutId: z.string(),
  shape: Shape,
  tabId: z.number(),
  frameId: z.number(),
  /** The frame the card was held in, and the tab's top page. */
  frameOrigin: z.string(),
  topOrigin: z.string(),
  merchant: z.object({ id: z.string(), name: z.string(), origin: z.string() }),
  agentName: z.string(),
  claimed: z.boolean(),
  cardSentTo: z.string().nullable(),
  /** Why the page's total could not be read, as the window says it. */
  why: z.string(),
  /** The merchant's registered currency, offered first. */
  currency: z.string().nullable(),
  createdAt: z.string(),
});
export type AmountRequest = z.infer<typeof AmountRequest>;

/**
 * What became of a request the window showed: approved and waiting for the shop to charge, paid,
 * expired, cancelled, or failed, in one sentence. Kept in storage so the window still shows it after
 * the service worker stopped; removed when the user dismisses it.
 */
export const Outcome = z.object({
  /** The request it ends: the intent id, or the checkout id for an amount never asked of the relay. */
  id: z.string(),
  intentId: z.string().nullable(),
  checkoutId: z.string(),
  merchantName: z.string(),
  amount: Money.nullable(),
  state: PaymentState,
  /** One sentence: what happened, whether anything was paid, what to do. */
  sentence: z.string(),
  moneyMoved: z.boolean(),
  at: z.string(),
});
export type Outcome = z.infer<typeof Outcome>;

const SCHEMAS = {
  pairing: Pairing.nullable(),
  settings: Settings,
  agents: LocalAgents,
  handedTabs: HandedTabs,
  pending: z.array(PendingCheckout),
  amountRequests: z.array(AmountRequest),
  confirmWindowId: z.number().nullable(),
  outcomes: z.array(Outcome),
  checking: z.array(Checking),
} as const;
type Schemas = typeof SCHEMAS;
export type StateKey = keyof Schemas;
export type StateValue<K extends StateKey> = z.infer<Schemas[K]>;

const DEFAULTS: { [K in StateKey]: StateValue<K> } = {
  pairing: null,
  settings: { holdHumanCheckouts: false },
  agents: {},
  handedTabs: {},
  pending: [],
  amountRequests: [],
  confirmWindowId: null,
  outcomes: [],
  checking: [],
};

export async function read<K extends StateKey>(key: K): Promise<StateValue<K>> {
  const stored = (await browser.storage.local.get(key))[key];
  if (stored === undefined) return structuredClone(DEFAULTS[key]);
  const parsed = SCHEMAS[key].safeParse(stored);
  // Unreadable state (an older version's, say) is dropped rather than trusted.
  return parsed.success ? (parsed.data as StateValue<K>) : structuredClone(DEFAULTS[key]);
}

export async function write<K extends StateKey>(key: K, value: StateValue<K>): Promise<void> {
  await browser.storage.local.set({ [key]: value });
}

/** Read, change and write one item; callers in one context are serialised so updates never interleave. */
let queue: Promise<unknown> = Promise.resolve();
export function update<K extends StateKey>(key: K, change: (value: StateValue<K>) => StateValue<K>): Promise<StateValue<K>> {
  const next = queue.then(async () => {
    const value = change(await read(key));
    await write(key, value);
    return value;
  });
  queue = next.catch(() => undefined);
  return next;
}

/** Calls `listener` with the new value whenever `key` changes, from any part of the extension. */
export function watch<K extends StateKey>(key: K, listener: (value: StateValue<K>) => void): () => void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(key in changes)) return;
    const parsed = SCHEMAS[key].safeParse(changes[key]!.newValue ?? DEFAULTS[key]);
    if (parsed.success) listener(parsed.data as StateValue<K>);
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
