import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { useStored } from '../ui/use-stored.ts';
import { AmountRequest } from './AmountRequest.tsx';
import { Request } from './Request.tsx';

/**
 * Every payment waiting for the user, oldest first, in one window. When the
 * last one is answered the window closes itself; closing it by hand rejects
 * whatever it still shows (the background does that).
 */
export function Queue() {
  const pending = useStored('pending');
  const amounts = useStored('amountRequests');
  const waiting = pending && amounts ? pending.length + amounts.length : undefined;
  useEffect(() => {
    document.title = waiting ? `(${waiting}) AgentPay · Confirm payment` : 'AgentPay · Confirm payment';
    if (waiting === 0) {
      const timer = setTimeout(async () => {
        // Tell the background first: a window closing itself rejects nothing, even if a payment just arrived.
        await browser.runtime.sendMessage({ type: 'confirm.closing' }).catch(() => undefined);
        window.close();
      }, 800);
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [waiting]);

  if (waiting === undefined) return <p>Loading…</p>;
  if (waiting === 0) return <p role="status">Nothing is waiting for you.</p>;
  return (
    <>
      <h1>{waiting === 1 ? 'An agent wants to pay' : `${waiting} payments are waiting`}</h1>
      {amounts!.map((request) => (
        <AmountRequest key={request.checkoutId} request={request} />
      ))}
      {pending!.map((checkout) => (
        <Request key={checkout.intentId} checkout={checkout} />
      ))}
    </>
  );
}
