import { useRef, useState } from 'preact/hooks';
import type { SseEvent } from '../sse.ts';
import { applyCreditEvent, type CreditNotice } from './notices.ts';

/** The notices of automatic top-ups, fed by the wallet's event stream (`onEvent`), until the user dismisses them. */
export function useCreditNotices() {
  const [notices, setNotices] = useState<readonly CreditNotice[]>([]);
  const onEvent = useRef((event: SseEvent) => setNotices((current) => applyCreditEvent(current, event))).current;
  const dismiss = (topUpId: string) => setNotices((current) => current.filter((n) => n.topUpId !== topUpId));
  return { notices, onEvent, dismiss };
}
