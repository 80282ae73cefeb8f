/**
 * Names shared by the main-world interceptor and the isolated bridge. Kept
 * free of imports so the interceptor, which runs in every page, stays small.
 */
export const PAGE_CHANNEL = 'agentpay:page';
export const WALLET_CHANNEL = 'agentpay:wallet';

/** The payment method identifier AgentPay answers in the Payment Request API. */
export const PAYMENT_METHOD = 'https://agentpay.dev/pay';
