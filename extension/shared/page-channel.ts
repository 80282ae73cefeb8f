/**
 * Names shared by the main-world interceptor and the isolated bridge. Kept
 * free of imports so the interceptor, which runs in every page, stays small.
 */
export const PAGE_CHANNEL = 'agentpay:page';
export const WALLET_CHANNEL = 'agentpay:wallet';

/**
 * Dispatched on the window by the main world when its page is watched from the start. An
 * event reaches the isolated world's listeners at once, before the page's next statement,
 * so the bridge guards its listeners before a script can rewrite a frame with document.open().
 */
export const WATCHING_EVENT = 'agentpay:watching';

/**
 * Dispatched on the window by the isolated bridge when the wallet asks its page to hold
 * checkouts (a tab handed to an agent, the user's opt-in); the main world hears it at once.
 */
export const WATCH_EVENT = 'agentpay:watch';

/**
 * Dispatched on the window by the script the background registers at document_start while an
 * agent may be at work in this browser (background/hold-from-start.ts): the interceptor, which
 * Chromium runs just before it, installs its holds then, before any script of the page.
 */
export const HOLD_FROM_START_EVENT = 'agentpay:hold-from-start';

/** Also left on the window by that script, in case a browser ran it before the interceptor. */
export const HOLD_FROM_START_MARK = Symbol.for('agentpay:hold-from-start');

/**
 * In a page held from its start, the main world asks the isolated bridge for a MessagePort
 * (dispatching PORT_ASKED_EVENT), and the bridge hands one over at once in a PORT_EVENT, both
 * within the hold-from-start dispatch, before any script of the page. The background's answer
 * to "is this tab watched?" comes over that port, where no page script can reach or forge it.
 */
export const PORT_ASKED_EVENT = 'agentpay:port?';
export const PORT_EVENT = 'agentpay:port';

/** The payment method identifier AgentPay answers in the Payment Request API. */
export const PAYMENT_METHOD = 'https://agentpay.dev/pay';
