import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ConfirmState, Reply } from '../shared/messages.ts';

/** The stored items the window shows: any change to one of them is read again. */
const SHOWN = ['pending', 'amountRequests', 'outcomes', 'checking'];

/**
 * What the window shows, as the background read and checked it, kept current; undefined while
 * loading. Asked of the background rather than read from storage here: checking the items takes
 * the contract's schemas, whose code is most of what this window would load before it can show
 * anything, and the background has them loaded already.
 */
export function useQueueState(): ConfirmState | undefined {
  const [state, setState] = useState<ConfirmState | undefined>(undefined);
  useEffect(() => {
    let asked = 0;
    const ask = () => {
      const mine = ++asked;
      void (browser.runtime.sendMessage({ type: 'confirm.state' }) as Promise<Reply<ConfirmState>>).then(
        (reply) => mine === asked && reply.ok && setState(reply.value),
        () => undefined,
      );
    };
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && SHOWN.some((key) => key in changes)) ask();
    };
    browser.storage.onChanged.addListener(onChanged);
    ask();
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return state;
}
