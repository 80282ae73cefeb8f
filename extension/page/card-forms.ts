import { cardIn, type TokenCard, withTokenCard } from '../checkout/card-body.ts';
import { cardFieldsOf } from '../checkout/card-fields.ts';
import { afterDocumentOpen } from '../shared/document-reopened.ts';
import { askWallet } from './channel.ts';
import { approvedCard, isTokenCard, tokenCardFor } from './held-cards.ts';
import { after, apply } from './natives.ts';
import { holding, isWatching } from './watch.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * Card forms: the submit is held before any field leaves the page. The
 * wallet fills the token's card details into the page's card fields (in every
 * frame of the checkout) and answers; only then is the form submitted again,
 * this time let through.
 *
 * A submit is looked at twice: first, before the page's own listeners, for a
 * form with card fields; then, after them, for what the form would send (a
 * multi-step checkout adds the card from its state as hidden inputs in its
 * submit listener). Submits inside shadow roots are caught there: a `submit`
 * event does not cross a shadow boundary to reach the window.
 */
// Taken when the holds are installed (watch.ts says why not at load).
let nativeSubmit: HTMLFormElement['submit'];
let nativeRequestSubmit: HTMLFormElement['requestSubmit'];
let nativeAttachShadow: Element['attachShadow'];
const released = new WeakSet<HTMLFormElement>();
const held = new WeakSet<HTMLFormElement>();

/** What the form would send, as name/value pairs (files and buttons aside). */
function entriesOf(form: HTMLFormElement): URLSearchParams {
  const entries = new URLSearchParams();
  for (const element of form.elements) {
    const field = element as HTMLInputElement;
    if (!field.name || field.disabled || !('value' in field) || ['file', 'submit', 'button', 'image', 'reset'].includes(field.type)) continue;
    if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) continue;
    entries.append(field.name, String(field.value));
  }
  return entries;
}

/** The card the form carries: typed into its card fields, or in any value it would send. */
function carriedNumber(form: HTMLFormElement): string | null {
  const fields = cardFieldsOf(form);
  const parts = fields.numberParts ?? (fields.number ? [fields.number] : []);
  const typed = parts.map((field) => field.value.replace(/\D/g, '')).join('');
  return typed || cardIn('', entriesOf(form));
}

/** The token's card in place of the agent's in every value the form sends (hidden inputs too), by the same rules as a request body. */
function rewriteValues(form: HTMLFormElement, card: TokenCard): void {
  const fields = [...form.elements].filter((e): e is HTMLInputElement => 'value' in e && !!(e as HTMLInputElement).name && (e as HTMLInputElement).type !== 'file');
  const rewritten = withTokenCard('', new URLSearchParams(fields.map((f) => [f.name, String(f.value)])), card).body as URLSearchParams;
  [...rewritten.values()].forEach((value, i) => {
    const field = fields[i]!;
    if (field.value !== value && !(field instanceof HTMLSelectElement)) field.value = value;
  });
}

/** The button that submitted, if it can submit again: its formaction, formmethod, formtarget and name=value belong to the submit. */
function submitterOf(event: Event, form: HTMLFormElement): HTMLElement | undefined {
  const submitter = (event as SubmitEvent).submitter;
  return submitter && submitter.isConnected && (submitter as HTMLButtonElement).form === form ? submitter : undefined;
}

function hold(form: HTMLFormElement, submitter?: HTMLElement): void {
  if (held.has(form)) return; // one question per checkout, however often the agent clicks
  held.add(form);
  const checkoutId = randomId();
  form.setAttribute('data-agentpay-checkout', checkoutId);
  // Keyed by the agent's card, so a script posting the same card meanwhile joins this question.
  const digits = carriedNumber(form) || `form:${checkoutId}`;
  tokenCardFor(digits, () => askWallet({ kind: 'card-form.held', checkoutId })).then(
    (card) => {
      held.delete(form);
      if (!card) return;
      released.add(form);
      rewriteValues(form, card);
      submitAgain(form, submitter);
    },
    // Refused, failed or rejected: the form stays unsent; the bridge shows why.
    () => held.delete(form),
  );
}

/**
 * A form submitted before the wallet has said whether this page is watched (watch.ts): held
 * until it has, then submitted again, to be held or let go by what the page knows then.
 */
function waitForAnswer(event: Event, form: HTMLFormElement, answer: Promise<boolean>): void {
  event.preventDefault();
  event.stopImmediatePropagation();
  const submitter = submitterOf(event, form);
  void after(answer, () => submitAgain(form, submitter));
}

function submitAgain(form: HTMLFormElement, submitter?: HTMLElement): void {
  apply(nativeRequestSubmit, form, [submitter?.isConnected ? submitter : undefined]);
}

/** Whether a form may carry a card: card fields, or a card number in what it would send. */
function carriesCard(form: HTMLFormElement): boolean {
  const digits = carriedNumber(form);
  return digits ? !isTokenCard(digits) : !!cardFieldsOf(form).number;
}

/** Before the page's listeners: a form with card fields. */
function shouldHold(form: HTMLFormElement): boolean {
  // An approved form stays released: the page's own handler may submit it again.
  if (released.has(form) || !isWatching()) return false;
  if (!cardFieldsOf(form).number) return false;
  const digits = carriedNumber(form);
  return !(digits && isTokenCard(digits));
}

function onSubmit(event: Event): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const answer = holding();
  if (answer !== true && answer !== false) return void (!released.has(form) && carriesCard(form) && waitForAnswer(event, form, answer));
  if (!shouldHold(form)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  hold(form, submitterOf(event, form));
}

/** After the page's listeners: whatever card the form is about to send (a page that sends by script prevented this submit). */
function onSubmitLate(event: Event): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  const answer = holding();
  if (answer === false) return;
  const digits = cardIn('', entriesOf(form));
  if (!digits || isTokenCard(digits)) return;
  if (answer !== true) return void (!released.has(form) && waitForAnswer(event, form, answer));
  // Approved already (the page re-added the agent's card on the released submit): send the token's instead.
  const approved = approvedCard(digits);
  if (approved) return rewriteValues(form, approved);
  event.preventDefault();
  hold(form, submitterOf(event, form));
}

const listening = new WeakSet<ShadowRoot>();

function listenIn(root: ShadowRoot): void {
  if (listening.has(root)) return;
  listening.add(root);
  root.addEventListener('submit', onSubmit, true);
  root.addEventListener('submit', onSubmitLate);
}

/** Shadow roots the parser made (declarative shadow DOM) are found when a submit button in one is clicked. */
function onClick(event: Event): void {
  const target = event.composedPath()[0];
  const form = target instanceof HTMLButtonElement || target instanceof HTMLInputElement ? target.form : null;
  const root = form?.getRootNode();
  if (root instanceof ShadowRoot) listenIn(root);
}

function listenOnWindow(): void {
  window.addEventListener('submit', onSubmit, true);
  window.addEventListener('submit', onSubmitLate);
  // A click crosses shadow boundaries; Enter in a field clicks the default button too.
  window.addEventListener('click', onClick, true);
}

export function interceptCardForms(): void {
  nativeSubmit = HTMLFormElement.prototype.submit;
  nativeRequestSubmit = HTMLFormElement.prototype.requestSubmit;
  nativeAttachShadow = Element.prototype.attachShadow;
  listenOnWindow();
  afterDocumentOpen(listenOnWindow);
  // Every shadow root a script makes, open or closed, listens too: its forms' submits stay inside it.
  Element.prototype.attachShadow = function attachShadow(this: Element, init: ShadowRootInit) {
    const root = apply(nativeAttachShadow, this, [init]);
    listenIn(root);
    return root;
  };
  // requestSubmit() fires its submit event where no click went before: in a shadow root the parser made, listen first.
  HTMLFormElement.prototype.requestSubmit = function requestSubmit(this: HTMLFormElement, submitter?: HTMLElement | null) {
    const root = this.getRootNode();
    if (root instanceof ShadowRoot) listenIn(root);
    return apply(nativeRequestSubmit, this, [submitter]);
  };
  // form.submit() fires no submit event, so it is held here instead.
  HTMLFormElement.prototype.submit = function submit(this: HTMLFormElement) {
    const answer = holding();
    // Not known yet whether this page is watched: a form that may carry a card waits for the answer.
    if (answer !== true && answer !== false && !released.has(this) && carriesCard(this)) return void after(answer, () => apply(submit, this, []));
    if (shouldHold(this)) return hold(this);
    const digits = isWatching() && !released.has(this) ? cardIn('', entriesOf(this)) : null;
    if (digits && !isTokenCard(digits)) {
      const approved = approvedCard(digits);
      if (!approved) return hold(this);
      rewriteValues(this, approved);
    }
    return apply(nativeSubmit, this, []);
  };
}
