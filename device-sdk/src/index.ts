/**
 * The AgentPay device SDK: for car cockpits, glasses and earphones that pay
 * through an AgentPay relay over MQTT. Start with `createDevice` (README.md).
 */
export { createDevice, Device, type CodeReader, type DeviceEvents, type DeviceOptions } from './device/device.ts';
export type { ResolvedPayment, SpokenPaymentResolver } from './device/conversation.ts';
export { AGENTPAY_EMVCO_GUID, paymentForCode, type CodePayment } from './device/code-payment.ts';
export { cockpit, earphones, glasses, type CockpitOptions, type ConfirmationMethod, type DeviceProfile } from './profiles/profiles.ts';
export { LoginRefusedError, RelayConnection, type ConnectionEvents, type ConnectionState, type DeviceAnswer, type RelayConnectionOptions } from './connection/connection.ts';
export type { BrokerLogin, DeviceIdentity } from './connection/login.ts';
export type { Backoff } from './connection/backoff.ts';
export { Payments, type ProgressStep } from './payments/pay.ts';
export type { DeliverToken, MerchantRef, PaymentRequest, PaymentResult, PaymentStatus } from './payments/types.ts';
export { PassingScan, type PassingScanOptions, type ScanDecision } from './passing-scan/passing-scan.ts';
export * from './voice/index.ts';
export * from './payment-codes/index.ts';
