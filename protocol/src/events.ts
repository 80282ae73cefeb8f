import * as z from 'zod';
import { multilineText, text, instant } from './text.ts';
import { IntentRequest } from './intent.ts';

/** The steps of a task, as the wallet's timeline shows them. */
export const TaskStage = z.enum([
  'searching', 'found', 'preparing_to_pay', 'awaiting_confirmation', 'paid', 'refunded', 'failed',
]);
export type TaskStage = z.infer<typeof TaskStage>;

/** Sent by agents and devices as they work. */
export const ProgressEvent = z
  .object({
    taskId: text().min(1).max(64),
    stage: TaskStage,
    message: multilineText().max(500).optional(),
    intentId: text().max(100).optional(),
    at: instant().optional(),
  })
  .strict();
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/**
 * Messages a device publishes on `agentpay/v1/devices/{id}/requests`, each
 * inside a signed envelope. `requestId` correlates the relay's answer and is
 * the idempotency key for state changes.
 */
/** A device's own correlation id and idempotency key. */
const RequestId = text().min(8).max(100);

export const DeviceRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intent.create'), requestId: RequestId, intent: IntentRequest }).strict(),
  z.object({ type: z.literal('progress'), requestId: RequestId, event: ProgressEvent }).strict(),
  z.object({ type: z.literal('intent.get'), requestId: RequestId, intentId: text().max(100) }).strict(),
  /** A merchant's name, origins and public key: to verify its signed payment code before paying it. */
  z.object({ type: z.literal('merchant.get'), requestId: RequestId, merchantId: text().min(1).max(100) }).strict(),
]);
export type DeviceRequest = z.infer<typeof DeviceRequest>;

/** Messages the relay publishes on `agentpay/v1/devices/{id}/events`. */
export const DeviceEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intent'), requestId: z.string().nullable(), intent: z.unknown() }),
  z.object({ type: z.literal('progress.ack'), requestId: z.string() }),
  z.object({ type: z.literal('merchant'), requestId: z.string(), merchant: z.unknown() }),
  z.object({
    type: z.literal('error'),
    requestId: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type DeviceEvent = z.infer<typeof DeviceEvent>;
