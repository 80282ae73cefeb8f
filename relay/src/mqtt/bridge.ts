import { canonicalize, DeviceRequest, type DeviceEvent, ID_PREFIX, mqttAudience, ProtocolError, sha256Base64url } from '@agentpay/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { RelayContext } from '../context.ts';
import { runCommand } from '../idempotency/command.ts';
import type { ActorPrincipal } from '../identity/principals.ts';
import { getMerchant } from '../identity/register.ts';
import { verifyRequest } from '../identity/verify.ts';
import { createIntent } from '../intents/create.ts';
import { readIntent } from '../intents/read.ts';
import { recordProgress } from '../progress/progress.ts';
import { storeUnavailable } from '../store/unavailable.ts';
import { deviceIdFromRequestTopic, topics } from './broker.ts';

export interface DeviceBridgeOptions {
  /** mqtt:// or ws:// URL of the broker. */
  url: string;
  username?: string;
  password?: string;
  /**
   * Shared-subscription group. Set on an MQTT 5 broker so that several relays
   * split the devices' requests; leave unset on the embedded MQTT 3.1.1 broker.
   */
  shareGroup?: string;
}

export interface DeviceBridge {
  close(): Promise<void>;
}

/**
 * Serves devices over MQTT: each signed request on a device's `requests`
 * topic is verified, run exactly like its HTTP twin, and answered on that
 * device's `events` topic at QoS 1. Bad input is answered with an error event
 * and never stops the bridge.
 */
export async function startDeviceBridge(ctx: RelayContext, options: DeviceBridgeOptions): Promise<DeviceBridge> {
  const client = await mqtt.connectAsync(options.url, {
    protocolVersion: options.shareGroup ? 5 : 4,
    clientId: `agentpay-relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    username: options.username,
    password: options.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  noDelay(client);
  client.on('connect', () => noDelay(client));
  client.on('error', (error) => ctx.log.warn({ err: error }, 'mqtt bridge error'));

  const publish = (deviceId: string, event: DeviceEvent) =>
    client.publishAsync(topics.events(deviceId), JSON.stringify(event), { qos: 1 }).catch((error: Error) => {
      ctx.log.warn({ err: error, deviceId }, 'could not publish to device');
    });

  client.on('message', (topic, payload, packet) => {
    // A retained request would be answered again at every resubscribe: requests are never retained.
    if (packet.retain) return;
    void handleMessage(ctx, topic, payload.toString('utf8'), publish);
  });
  const filter = options.shareGroup ? `$share/${options.shareGroup}/${topics.allRequests}` : topics.allRequests;
  const [granted] = await client.subscribeAsync(filter, { qos: 1 });
  if (!granted || granted.qos > 2) throw new Error(`the broker refused the relay's subscription to ${filter}`);

  // Answers that arrive later (a wallet approved, a hold expired) are pushed to the device too.
  const stop = new AbortController();
  ctx.events.subscribe((event) => {
    if (event.type === 'intent.updated' && event.cause !== 'created' && event.actorId.startsWith(`${ID_PREFIX.device}_`)) {
      void publish(event.actorId, { type: 'intent', requestId: null, intent: event.intent });
    }
  }, stop.signal);

  return {
    async close() {
      stop.abort();
      await client.endAsync();
    },
  };
}

async function handleMessage(
  ctx: RelayContext,
  topic: string,
  text: string,
  publish: (deviceId: string, event: DeviceEvent) => Promise<unknown>,
): Promise<void> {
  const deviceId = deviceIdFromRequestTopic(topic);
  if (!deviceId) return;
  let requestId: string | null = null;
  try {
    const jws = text.trim();
    // Without this, verifyRequest's answer to an empty payload would talk about an HTTP header.
    if (!jws) throw new ProtocolError('bad_signature', 'the payload is empty: publish a compact JWS over {aud, ts, nonce, body}', 401);
    const { principal, claims } = await verifyRequest(ctx.db, { jws, aud: mqttAudience(topic), now: ctx.now() });
    if (principal.kind !== 'device' || principal.id !== deviceId) {
      throw new ProtocolError('forbidden', `${principal.id} may not publish on ${deviceId}'s topic`, 403);
    }
    const parsed = DeviceRequest.safeParse(claims.body);
    requestId = typeof (claims.body as { requestId?: unknown })?.requestId === 'string' ? (claims.body as { requestId: string }).requestId : null;
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new ProtocolError('invalid_request', `the device request is invalid: ${detail}`, 400);
    }
    const request = parsed.data;
    const device = principal as ActorPrincipal;
    if (request.type === 'merchant.get') {
      await publish(deviceId, { type: 'merchant', requestId: request.requestId, merchant: await getMerchant(ctx.db, request.merchantId) });
      return;
    }
    if (request.type === 'intent.get') {
      const intent = await readIntent(ctx, device, request.intentId, 0, new AbortController().signal);
      await publish(deviceId, { type: 'intent', requestId: request.requestId, intent });
      return;
    }
    const meta = {
      principal: device.id,
      idempotencyKey: request.requestId,
      requestHash: await sha256Base64url(canonicalize(request)),
      nonce: claims.nonce,
    };
    if (request.type === 'intent.create') {
      const result = await runCommand(ctx, meta, async (tx, outbox) => ({
        status: 201,
        body: await createIntent(ctx, tx, outbox, device, request.intent),
      }));
      await publish(deviceId, { type: 'intent', requestId: request.requestId, intent: result.body });
    } else {
      await runCommand(ctx, meta, async (tx, outbox) => {
        await recordProgress(tx, outbox, { walletId: device.walletId, actorId: device.id, ...request.event });
        return { status: 202, body: { accepted: true } };
      });
      await publish(deviceId, { type: 'progress.ack', requestId: request.requestId });
    }
  } catch (error) {
    // A store outage is worth retrying (store_unavailable), unlike a failure of the relay itself.
    const refusal = error instanceof ProtocolError ? error : storeUnavailable(error);
    const body = refusal
      ? { code: refusal.code, message: refusal.message }
      : { code: 'internal_error', message: 'the relay failed to handle this request; nothing was changed' };
    if (!refusal) ctx.log.error({ err: error, topic }, 'device request failed');
    else if (!(error instanceof ProtocolError)) ctx.log.warn({ err: error, topic }, 'store unavailable');
    // The error goes to the topic's owner only: whoever sent it can read nothing else there.
    await publish(deviceId, { type: 'error', requestId, error: body });
  }
}

/** Nagle's algorithm would add ~40 ms to every answer; MQTT messages are small and latency-bound. */
function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => void } | undefined;
  stream?.setNoDelay?.(true);
}
