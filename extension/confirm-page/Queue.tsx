import { FINAL_PAYMENT_STATES, formatMoney } from '@agentpay/protocol/display';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { liveRequests } from '../shared/waiting.ts';
import { AmountRequest } from './AmountRequest.tsx';
import { OutcomeView } from './OutcomeView.tsx';
import { Request } from './Request.tsx';
import { useQueueState } from './use-queue-state.ts';

/** How long a final outcome stays on screen before the window closes itself, when nothing else waits. */
export const OUTCOME_SHOWN_MS = 4000;
/** While the shop has not charged an approved payment, how often the window asks the relay. */
const REFRESH_MS = 1500;

/**
 * The requests waiting for the user, one at a time ("1 of 3", Previous, Next,
 * Reject all), and what came of those already answered. Closing the window by
 * hand rejects whatever still waits (the background does that); it closes
 * itself only once the user has seen every outcome.
 */
export function Queue() {
  const state = useQueueState();
  const pending = state?.pending;
  const amounts = state?.amountRequests;
  const outcomes = state?.outcomes;
  // Checkouts the relay is still deciding (the window opened while it does); none once it has.
  const checking = state?.checking.filter((c) => !pending?.some((p) => p.checkoutId === c.checkoutId));
  const [current, setCurrent] = useState<string | null>(null);
  const live = pending && amounts ? liveRequests(pending, amounts) : undefined;
  const waiting = live?.count;
  const unsettled = (outcomes?.some((o) => !FINAL_PAYMENT_STATES.has(o.state)) ?? false) || (checking?.length ?? 0) > 0;

  useEffect(() => {
    document.title = waiting ? `(${waiting}) AgentPay · Confirm payment` : 'AgentPay · Confirm payment';
    if (waiting !== 0 || outcomes === undefined || unsettled) return undefined;
    // Nothing waits and every outcome is final: close once the user has had time to read it.
    const timer = setTimeout(() => void closeWindow(), outcomes.length ? OUTCOME_SHOWN_MS : 800);
    return () => clearTimeout(timer);
  }, [waiting, outcomes, unsettled]);

  useEffect(() => {
    if (!unsettled) return undefined;
    // The shop charges after it has the card: ask the background, which asks the relay.
    const ask = () => void browser.runtime.sendMessage({ type: 'outcomes.refresh' }).catch(() => undefined);
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => clearInterval(timer);
  }, [unsettled]);

  if (!live || outcomes === undefined || checking === undefined) return <p>Loading…</p>;
  const items = [...live.amounts.map((request) => ({ key: request.checkoutId, view: <AmountRequest key={request.checkoutId} request={request} /> })), ...live.pending.map((checkout) => ({ key: checkout.intentId, view: <Request key={checkout.intentId} checkout={checkout} /> }))];
  // The request shown stays shown while others arrive or end; when it ends, the first one is shown.
  const shown = Math.max(items.findIndex((item) => item.key === current), 0);
  const show = (at: number) => setCurrent(items[at]?.key ?? null);

  async function rejectAll(event: MouseEvent) {
    if (!event.isTrusted) return; // only a person's click rejects
    await browser.runtime.sendMessage({ type: 'confirm.rejectAll' });
  }

  return (
    <>
      {items.length > 0 && (
        <header class="queue-head">
          <h1>{items.length === 1 ? 'A payment waits for you' : `${items.length} payments are waiting`}</h1>
          {items.length > 1 && (
            <nav aria-label="Waiting payments" class="pager">
              <button type="button" onClick={() => show(shown - 1)} disabled={shown === 0}>Previous</button>
              <span aria-live="polite">{shown + 1} of {items.length}</span>
              <button type="button" onClick={() => show(shown + 1)} disabled={shown === items.length - 1}>Next</button>
              <button type="button" class="danger" onClick={rejectAll}>Reject all</button>
            </nav>
          )}
        </header>
      )}
      {items[shown]?.view}
      {checking.map((check) => (
        <p key={check.checkoutId} class="checking" role="status">
          {check.agentName} is checking out{check.amount ? ` ${formatMoney(check.amount)}` : ''} on {hostOf(check.origin)}: asking your relay whether its mandate allows it…
        </p>
      ))}
      {outcomes.length > 0 && (
        <section aria-label="What happened" class="outcomes">
          {[...outcomes].reverse().map((outcome) => (
            <OutcomeView key={outcome.id} outcome={outcome} />
          ))}
        </section>
      )}
      {items.length === 0 && checking.length === 0 && (
        <div class="idle">
          <p role="status">{outcomes.length ? 'Nothing else is waiting for you.' : 'Nothing is waiting for you.'}</p>
          <button type="button" class="primary" onClick={() => void closeWindow()}>Close</button>
        </div>
      )}
    </>
  );
}

async function closeWindow(): Promise<void> {
  // Tell the background first: a window closing itself rejects nothing, even if a payment just arrived.
  await browser.runtime.sendMessage({ type: 'confirm.closing' }).catch(() => undefined);
  window.close();
}

function hostOf(origin: string): string {
  return URL.parse(origin)?.host || origin;
}
