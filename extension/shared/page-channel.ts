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

/** The payment method identifier AgentPay answers in the Payment Request API. */
export const PAYMENT_METHOD = 'https://agentpay.dev/pay';
