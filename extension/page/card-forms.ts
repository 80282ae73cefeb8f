import { isCardForm } from '../checkout/card-fields.ts';
import { askWallet } from './channel.ts';
import { isWatching } from './watch.ts';

/**
 * Card forms: the submit is held before any field leaves the page. The
 * bridge fills the token's card details into the held form and answers; only
 * then is the form submitted again, this time let through.
 */
const nativeSubmit = HTMLFormElement.prototype.submit;
const nativeRequestSubmit = HTMLFormElement.prototype.requestSubmit;
const released = new WeakSet<HTMLFormElement>();
const held = new WeakSet<HTMLFormElement>();

function hold(form: HTMLFormElement): void {
  if (held.has(form)) return; // one question per checkout, however often the agent clicks
  held.add(form);
  const checkoutId = crypto.randomUUID();
  form.setAttribute('data-agentpay-checkout', checkoutId);
  askWallet({ kind: 'card-form.held', checkoutId }).then(
    (payment) => {
      held.delete(form);
      if (!payment) return;
      released.add(form);
      nativeRequestSubmit.call(form);
    },
    // Refused, failed or rejected: the form stays held and unsent; the bridge shows why.
    () => held.delete(form),
  );
}

function shouldHold(form: HTMLFormElement): boolean {
  // An approved form stays released: the page's own handler may submit it again.
  if (released.has(form)) return false;
  return isWatching() && isCardForm(form);
}

export function interceptCardForms(): void {
  window.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !shouldHold(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      hold(form);
    },
    true,
  );
  // form.submit() fires no submit event, so it is held here instead.
  HTMLFormElement.prototype.submit = function submit(this: HTMLFormElement) {
    if (shouldHold(this)) return hold(this);
    return nativeSubmit.call(this);
  };
}
