import { cardFieldsOf } from '../checkout/card-fields.ts';
import { askWallet } from './channel.ts';
import { isTokenCard, tokenCardFor } from './held-cards.ts';
import { isWatching } from './watch.ts';

/**
 * Card forms: the submit is held before any field leaves the page. The
 * wallet fills the token's card details into the page's card fields (in every
 * frame of the checkout) and answers; only then is the form submitted again,
 * this time let through. Submits inside shadow roots are caught there: a
 * `submit` event does not cross a shadow boundary to reach the window.
 */
const nativeSubmit = HTMLFormElement.prototype.submit;
const nativeRequestSubmit = HTMLFormElement.prototype.requestSubmit;
const nativeAttachShadow = Element.prototype.attachShadow;
const released = new WeakSet<HTMLFormElement>();
const held = new WeakSet<HTMLFormElement>();

/** The card number the agent typed, whole or over several boxes, as digits. */
function typedNumber(form: HTMLFormElement): string {
  const fields = cardFieldsOf(form);
  const parts = fields.numberParts ?? (fields.number ? [fields.number] : []);
  return parts.map((field) => field.value.replace(/\D/g, '')).join('');
}

function hold(form: HTMLFormElement): void {
  if (held.has(form)) return; // one question per checkout, however often the agent clicks
  held.add(form);
  const checkoutId = crypto.randomUUID();
  form.setAttribute('data-agentpay-checkout', checkoutId);
  // Keyed by the agent's card, so a script posting the same card meanwhile joins this question.
  const digits = typedNumber(form) || `form:${checkoutId}`;
  tokenCardFor(digits, () => askWallet({ kind: 'card-form.held', checkoutId })).then(
    (card) => {
      held.delete(form);
      if (!card) return;
      released.add(form);
      nativeRequestSubmit.call(form);
    },
    // Refused, failed or rejected: the form stays unsent; the bridge shows why.
    () => held.delete(form),
  );
}

function shouldHold(form: HTMLFormElement): boolean {
  // An approved form stays released: the page's own handler may submit it again.
  if (released.has(form) || !isWatching()) return false;
  const fields = cardFieldsOf(form);
  if (!fields.number) return false;
  const digits = typedNumber(form);
  return !(digits && isTokenCard(digits));
}

const listening = new WeakSet<ShadowRoot>();

function listenIn(root: ShadowRoot): void {
  if (listening.has(root)) return;
  listening.add(root);
  root.addEventListener('submit', onSubmit, true);
}

function onSubmit(event: Event): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !shouldHold(form)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  hold(form);
}

export function interceptCardForms(): void {
  window.addEventListener('submit', onSubmit, true);
  // Every shadow root a script makes, open or closed, listens too: its forms' submits stay inside it.
  Element.prototype.attachShadow = function attachShadow(this: Element, init: ShadowRootInit) {
    const root = nativeAttachShadow.call(this, init);
    listenIn(root);
    return root;
  };
  // Shadow roots the parser made (declarative shadow DOM) are found when a submit button in one is
  // clicked (a click crosses shadow boundaries; Enter in a field clicks the default button too).
  window.addEventListener(
    'click',
    (event) => {
      const target = event.composedPath()[0];
      const form = target instanceof HTMLButtonElement || target instanceof HTMLInputElement ? target.form : null;
      const root = form?.getRootNode();
      if (root instanceof ShadowRoot) listenIn(root);
    },
    true,
  );
  // form.submit() fires no submit event, so it is held here instead.
  HTMLFormElement.prototype.submit = function submit(this: HTMLFormElement) {
    if (shouldHold(this)) return hold(this);
    return nativeSubmit.call(this);
  };
}
