import { walletClient } from '../shared/relay.ts';
import { backoffMs, createSseParser, type SseEvent } from './sse.ts';

export type StreamStatus = { state: 'connecting' } | { state: 'live' } | { state: 'retrying'; inMs: number; reason: string };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * Follows `GET /v1/wallet/events` until `signal` aborts. The stream needs the
 * signature header, so it is read with fetch and a stream reader rather than
 * EventSource; when it drops, it reconnects with a doubling back-off (each
 * attempt is signed afresh), and a successful connection resets the back-off.
 */
export async function followWalletEvents(
  signal: AbortSignal,
  on: { event(event: SseEvent): void; status(status: StreamStatus): void },
): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let reason = 'the stream ended';
    try {
      on.status({ state: 'connecting' });
      const response = await (await walletClient()).send('GET', '/v1/wallet/events', undefined, { signal });
      if (!response.ok || !response.body) throw new Error(`the relay answered ${response.status}`);
      on.status({ state: 'live' });
      failures = 0;
      // Anything missed while disconnected is picked up by a refresh.
      on.event({ event: 'connected', data: '' });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = createSseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) on.event(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      reason = error instanceof Error ? error.message : String(error);
    }
    if (signal.aborted) return;
    const inMs = backoffMs(failures++);
    on.status({ state: 'retrying', inMs, reason });
    await sleep(inMs, signal);
  }
}
