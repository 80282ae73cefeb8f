import { browser } from 'wxt/browser';
import * as z from 'zod';
import { CheckoutError, CheckoutOrder } from '../shared/messages.ts';
import type { CheckoutSource } from './checkouts.ts';
import { CheckoutFailure } from './failure.ts';
import { injectFullBridge } from './inject.ts';

const OrderReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: CheckoutOrder }),
  z.object({ ok: z.literal(false), error: CheckoutError }),
]);

/**
 * What a card checkout pays for, as the page shows it: read by the top page's
 * bridge (the shop's page, with its total), else by the frame the card was
 * held in (a whole hosted payment page in a frame shows its own).
 */
export async function orderShownFor(source: CheckoutSource, checkoutId: string, currencies: string[]): Promise<CheckoutOrder> {
  let why = 'the page did not answer';
  for (const frameId of source.frameId === 0 ? [0] : [0, source.frameId]) {
    const message = { type: 'order.read', checkoutId, currencies, cardFrameOrigin: frameId === source.frameId ? undefined : source.origin };
    const ask = () => browser.tabs.sendMessage(source.tabId, message, { frameId });
    // The frame's bridge is usually there already (it held the card); injecting it costs tens of milliseconds.
    const raw: unknown = await ask()
      .catch(async () => {
        await injectFullBridge(source.tabId, frameId);
        return ask();
      })
      .catch((error: Error) => ({ ok: false, error: { code: 'no_total', message: error.message } }));
    const reply = OrderReply.safeParse(raw);
    if (reply.success && reply.data.ok) return reply.data.value;
    if (reply.success && !reply.data.ok) why = reply.data.error.message;
  }
  throw new CheckoutFailure('no_total', why);
}
