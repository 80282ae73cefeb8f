import type { RelayContext } from '../../context.ts';
import type { RelayEvent } from '../../events/hub.ts';

const KEEPALIVE_MS = 15_000;

/**
 * The wallet's push channel as server-sent events. Token secrets never go
 * to the wallet: they belong to the actor that pays with them.
 */
export function walletEventStream(ctx: RelayContext, walletId: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  // The client leaving or the relay stopping ends the stream.
  const ended = AbortSignal.any([signal, ctx.events.closing]);
  ended.addEventListener('abort', () => stop.abort(), { once: true });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop.abort();
        }
      };
      send(`: connected to wallet ${walletId}\n\n`);
      ctx.events.subscribe((event) => {
        if (event.walletId !== walletId) return;
        send(`event: ${event.type}\ndata: ${JSON.stringify(forWallet(event))}\n\n`);
        if (event.type === 'wallet.unpaired') stop.abort();
      }, stop.signal);
      const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
      stop.signal.addEventListener('abort', () => {
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      });
      if (ended.aborted) stop.abort();
    },
    cancel() {
      stop.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' },
  });
}

function forWallet(event: RelayEvent): RelayEvent {
  if (event.type !== 'intent.updated' || !event.intent.token) return event;
  const { token: _secret, ...intent } = event.intent;
  return { ...event, intent };
}
