/** The v1 wire contract of the agent payment relay. */
export const PROTOCOL_VERSION = 'v1';

export * from './agent-invites.ts';
export * from './canonical.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './intent.ts';
export * from './mandate.ts';
export * from './money.ts';
export * from './parties.ts';
export * from './passkey.ts';
export * from './payments.ts';
export * from './payment-code.ts';
export * from './requests.ts';
export * from './signatures.ts';
export * from './text.ts';
export * from './x402.ts';
/** The first 402 dialect (v1 shapes, X-PAYMENT), kept for the sites that speak it. */
export * as X402V1 from './x402-v1.ts';
export * from './x402-wallet.ts';
export * from './client.ts';
export * from './device-topics.ts';
export * from './display-text.ts';
export * from './merchant-origin.ts';
export * from './payment-story.ts';
export * from './analysis.ts';
export * from './labels.ts';
export * from './wallet-merchants.ts';
export * from './spending-power.ts';
export * from './web-bot-auth.ts';
export * from './credits.ts';
