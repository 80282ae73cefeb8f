import { formatMoney, paymentRetryHeaders } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { fillCardFields, type TokenCard } from '../checkout/fill-card.ts';
import { whyLeftToBrowser } from '../checkout/left-to-browser.ts';
import { chooseMethod } from '../checkout/payment-methods.ts';
import { type CheckoutOrder, type QrAnswer, ReadOrderMessage, type Reply, SettledMessage } from '../shared/messages.ts';
import { type AgentClaim, LeftToBrowser, PageEnvelope, type PagePayment, PageRequest, WALLET_CHANNEL, type WalletReply } from '../shared/page-messages.ts';
import type { Shape } from '../shared/state.ts';
import { hideNotice, showNotice } from './notice.ts';
import { orderFrom, problemOf, readShownOrder } from './orders.ts';
import { allRoots, deepQuery } from './shadow-roots.ts';

/** A checkout the bridge passed on, waiting for the background to settle it. */
interface Waiting {
  /** Null for a QR payment, which the page does not wait on. */
  request: PageRequest | null;
  order?: CheckoutOrder;
}

const SHAPES: Record<Exclude<PageRequest['kind'], 'provider.identify'>, Shape> = {
  'card-form.held': 'card-form',
  'card-request.held': 'card-request',
  'payment-request.show': 'payment-request',
  'http-402': 'http-402',
  'provider.request-payment': 'provider',
};

/**
 * The isolated world's half of the interception: it validates what the main
 * world (or any page script pretending to be it) sends, asks the background
 * to pay, and carries the outcome back, filling card forms itself.
 */
export class Bridge {
  private readonly waiting = new Map<string, Waiting>();
  private agent: AgentClaim | undefined;

  constructor(
    private readonly signal: AbortSignal,
    /** Called when the page says an agent is driving it. */
    private readonly onAgentIdentified: () => void,
  ) {}

  start(): void {
    browser.runtime.onMessage.addListener(this.onBackgroundMessage);
    this.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(this.onBackgroundMessage));
  }

  /** The page's agent, as it named itself through the provider. */
  get agentClaim(): AgentClaim | undefined {
    return this.agent;
  }

  /** A message the page posted on this window (the loader checked it came from this window). */
  receive(data: unknown): void {
    const envelope = PageEnvelope.safeParse(data);
    if (!envelope.success) return; // not ours
    const { id } = envelope.data;
    const left = LeftToBrowser.safeParse(envelope.data.request);
    if (left.success) return this.leftToBrowser(left.data);
    const request = PageRequest.safeParse(envelope.data.request);
    if (!request.success) {
      const problem = request.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      return this.fail(id, { code: 'invalid_checkout', message: `the page's checkout request is malformed (${problem})` });
    }
    if (request.data.kind === 'provider.identify') {
      this.agent = request.data.agent;
      this.onAgentIdentified();
      return;
    }
    void this.begin(id, request.data);
  }

  /** Says why an agent's Payment Request went to the browser's own sheet: news, not an error. */
  private leftToBrowser({ methodData }: LeftToBrowser): void {
    if (chooseMethod(methodData).kind === 'browser') showNotice(whyLeftToBrowser(methodData), 'info');
  }

  private async begin(id: string, request: Exclude<PageRequest, { kind: 'provider.identify' }>): Promise<void> {
    if (this.waiting.has(id)) return;
    if (request.kind === 'card-form.held' || request.kind === 'card-request.held') return this.beginCard(id, request);
    let order: CheckoutOrder;
    try {
      order = orderFrom(request);
    } catch (error) {
      return this.fail(id, { code: 'invalid_checkout', message: `this checkout cannot be paid as asked: ${problemOf(error)}` });
    }
    const agent = request.kind === 'provider.request-payment' ? (request.agent ?? this.agent) : this.agent;
    this.waiting.set(id, { request, order });
    showNotice(`holding this checkout of ${formatMoney(order.amount)} for your approval…`, 'info');
    await this.sendToBackground(id, { type: 'checkout.begin', checkoutId: id, shape: SHAPES[request.kind], order, agent, automation: navigator.webdriver === true });
  }

  /**
   * A card held in this frame. The order is the top page's (the frame may be a payment provider's
   * field inside the shop's page), so the background reads it there once it knows the merchant.
   */
  private async beginCard(id: string, request: Extract<PageRequest, { kind: 'card-form.held' | 'card-request.held' }>): Promise<void> {
    this.waiting.set(id, { request });
    let destination = request.kind === 'card-request.held' ? request.destination : location.origin;
    if (request.kind === 'card-form.held') {
      const form = deepQuery<HTMLFormElement>(`form[data-agentpay-checkout="${CSS.escape(request.checkoutId)}"]`);
      destination = URL.parse(form?.action ?? '', location.href)?.origin ?? location.origin;
    }
    showNotice('holding this card checkout for your approval…', 'info');
    // Read now, in the top page, so the background need not come back for it while it opens the window.
    // Only a total read without doubt: one whose currency the merchant's would settle is read again by the background, with it.
    const shownOrder = window === window.top ? this.readOrder({ type: 'order.read', checkoutId: id, currencies: [] }, { stopAtUnsure: true }) : null;
    const card = { destination, shownOrder: shownOrder?.ok ? shownOrder.value : undefined };
    await this.sendToBackground(id, { type: 'checkout.begin', checkoutId: id, shape: SHAPES[request.kind], card, agent: this.agent, automation: navigator.webdriver === true });
  }

  /** The order this page shows, for a card held in it or in one of its frames. */
  private readOrder(message: ReadOrderMessage, options: { stopAtUnsure?: boolean } = {}): Reply<CheckoutOrder> {
    const held = [...this.waiting.values()].find((w) => w.request?.kind === 'card-form.held' && w.request.checkoutId === message.checkoutId)?.request;
    const form = held?.kind === 'card-form.held' ? deepQuery(`form[data-agentpay-checkout="${CSS.escape(held.checkoutId)}"]`) : null;
    // A provider's card field is an iframe of this page: the total nearest it is the one it pays.
    const frame = message.cardFrameOrigin ? allRoots().flatMap((root) => [...root.querySelectorAll('iframe')]).find((f) => URL.parse(f.src)?.origin === message.cardFrameOrigin) : null;
    try {
      return { ok: true, value: readShownOrder(form ?? frame ?? null, message.currencies, options) };
    } catch (error) {
      return { ok: false, error: { code: 'no_total', message: problemOf(error) } };
    }
  }

  /**
   * The token's card into this frame's card fields (whichever it has: a provider's frame may hold
   * only the expiry), if this frame is one the checkout's card was entered in. Answers the roles filled.
   */
  fill(card: TokenCard, origins: string[]): string[] {
    if (!origins.includes(location.origin)) return [];
    // The document's fields include those in open shadow roots; closed ones only a content script can open.
    const roots = allRoots().filter((root) => root === document || (root as ShadowRoot).mode === 'closed');
    return roots.flatMap((root) => fillCardFields(root, card, 'AgentPay token'));
  }

  /**
   * An image on the page that may be a "scan to pay" code. It is read silently: most QR
   * codes are links, which must lead to nothing the user sees. Only once the background
   * has found a payment code in it does the page say so (or show why it cannot be paid).
   */
  async beginQr(id: string, imageUrl: string): Promise<void> {
    if (this.waiting.has(id)) return;
    this.waiting.set(id, { request: null });
    const reply = (await browser.runtime
      .sendMessage({ type: 'qr.begin', checkoutId: id, imageUrl, automation: navigator.webdriver === true })
      .catch(() => null)) as Reply<QrAnswer> | null;
    if (reply && !reply.ok) return this.fail(id, reply.error); // a payment code that cannot be paid, and why
    if (!reply?.value.paymentCode) {
      this.waiting.delete(id);
      return;
    }
    // Unless the outcome came first (paid within the mandate, or refused).
    if (this.waiting.has(id)) showNotice('found a "scan to pay" code; holding it for your approval…', 'info');
  }

  private async sendToBackground(id: string, message: unknown): Promise<void> {
    const reply = (await browser.runtime.sendMessage(message).catch((error: Error) => ({
      ok: false,
      error: { code: 'extension_unavailable', message: `the AgentPay extension did not answer (${error.message})` },
    }))) as Reply;
    if (!reply.ok) this.fail(id, reply.error);
  }

  private readonly onBackgroundMessage = (raw: unknown): Promise<Reply<CheckoutOrder>> | undefined => {
    const read = ReadOrderMessage.safeParse(raw);
    if (read.success) return Promise.resolve(this.readOrder(read.data));
    const message = SettledMessage.safeParse(raw);
    if (!message.success) return undefined;
    const { checkoutId, result } = message.data;
    const waiting = this.waiting.get(checkoutId);
    if (!waiting) return undefined;
    if (!result.ok) {
      this.fail(checkoutId, result.error);
      return undefined;
    }
    try {
      this.succeed(checkoutId, waiting, result.payment);
    } catch (error) {
      this.fail(checkoutId, { code: 'fill_failed', message: (error as Error).message });
    }
    return undefined;
  };

  private succeed(id: string, waiting: Waiting, payment: PagePayment): void {
    const { request, order } = waiting;
    // The background filled the token's card into the checkout's fields (in every frame) before this.
    if ((request?.kind === 'card-form.held' || request?.kind === 'card-request.held') && !payment.card) throw new Error('the relay granted a token without card details');
    if (request?.kind === 'http-402') payment = { ...payment, headers: paymentRetryHeaders(request.paymentRequired, payment.token) };
    this.waiting.delete(id);
    showNotice(`paid ${formatMoney(payment.amount)} with a single-use token`, 'info');
    setTimeout(hideNotice, 4000);
    this.reply({ channel: WALLET_CHANNEL, id, ok: true, payment });
  }

  private fail(id: string, error: { code: string; message: string }): void {
    this.waiting.delete(id);
    showNotice(error.message, 'error');
    this.reply({ channel: WALLET_CHANNEL, id, ok: false, error });
  }

  private reply(message: WalletReply): void {
    window.postMessage(message, location.origin === 'null' ? '*' : location.origin);
  }
}


