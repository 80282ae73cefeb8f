/** The AgentPay device SDK (issue 4, in progress): so far, reading payment codes. */
export * from './payment-codes/index.ts';
