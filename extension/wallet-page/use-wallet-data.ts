import { useEffect, useRef, useState } from 'preact/hooks';
import type { SpendingAnalysis, WalletCredits, WalletRecord, WalletTask } from '@agentpay/protocol';
import { type ActorView, listActors, listRecords, listTasks, spendingAnalysis } from './api.ts';
import { walletCredits } from './credits/api.ts';
import { type ErrorInfo, errorInfo } from './errors.ts';
import { followWalletEvents, type StreamStatus } from './event-stream.ts';
import type { SseEvent } from './sse.ts';

export interface Loaded<T> {
  data?: T;
  error?: ErrorInfo;
}

export interface WalletData {
  actors: Loaded<ActorView[]>;
  records: Loaded<WalletRecord[]>;
  tasks: Loaded<WalletTask[]>;
  analysis: Loaded<SpendingAnalysis>;
  credits: Loaded<WalletCredits['credits']>;
}

const REFRESH_DEBOUNCE_MS = 300;

/**
 * Everything the page shows, loaded once and again (debounced) on every
 * wallet event; `tick` counts refreshes so parts that load more (a task's
 * timeline) can follow. `onEvent` also hears each event as it comes, for
 * what tells the user of it (a failed automatic top-up).
 */
export function useWalletData(onEvent?: (event: SseEvent) => void) {
  const [data, setData] = useState<WalletData>({ actors: {}, records: {}, tasks: {}, analysis: {}, credits: {} });
  const listener = useRef(onEvent);
  listener.current = onEvent;
  const [stream, setStream] = useState<StreamStatus>({ state: 'connecting' });
  const [tick, setTick] = useState(0);

  const refresh = useRef(async () => {
    const load = async <K extends keyof WalletData>(key: K, fetch: () => Promise<WalletData[K]['data']>) => {
      try {
        const value = await fetch();
        setData((d) => ({ ...d, [key]: { data: value } }));
      } catch (error) {
        // Keep what was shown; say why it may be stale.
        setData((d) => ({ ...d, [key]: { data: d[key].data, error: errorInfo(error) } }));
      }
    };
    await Promise.all([
      load('actors', listActors),
      load('records', listRecords),
      load('tasks', listTasks),
      load('analysis', spendingAnalysis),
      load('credits', walletCredits),
    ]);
    setTick((t) => t + 1);
  }).current;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = (event: SseEvent) => {
      listener.current?.(event);
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), REFRESH_DEBOUNCE_MS);
    };
    void refresh();
    void followWalletEvents(controller.signal, { event: soon, status: setStream });
    // Stop on unload; a page brought back from the back-forward cache starts afresh.
    const stop = () => controller.abort();
    const revive = (event: PageTransitionEvent) => event.persisted && location.reload();
    addEventListener('pagehide', stop);
    addEventListener('pageshow', revive);
    return () => {
      stop();
      clearTimeout(timer);
      removeEventListener('pagehide', stop);
      removeEventListener('pageshow', revive);
    };
  }, []);

  return { data, stream, tick, refresh };
}
