/** Errors about the device rather than one request (docs/mqtt.md); a replayed request is not one of them. */
export const REFUSES_DEVICE: ReadonlySet<string> = new Set(['agent_revoked', 'unauthenticated', 'forbidden', 'stale_request', 'bad_signature']);

/** CONNACK codes of a refused login: MQTT 3.1.1 (4, 5) and MQTT 5 (0x86, 0x87). */
const LOGIN_REFUSED = new Set([4, 5, 134, 135]);

/** CONNACK codes of a broker that is up but cannot serve yet: MQTT 3.1.1 (3) and MQTT 5 (0x88 server unavailable, 0x89 server busy). */
const SERVER_UNAVAILABLE = new Set([3, 136, 137]);

/** mqtt.js reports a refused CONNACK as an error whose `code` is the reason code. */
export function isLoginRefusal(error: Error): boolean {
  return LOGIN_REFUSED.has((error as { code?: unknown }).code as number);
}

/** The broker answered but cannot serve the device yet (the relay is starting, or its store is away). */
export function isServerUnavailable(error: Error): boolean {
  return SERVER_UNAVAILABLE.has((error as { code?: unknown }).code as number);
}

/**
 * The broker refused the device's login: the wallet removed the device, its
 * broker password changed, or its clock is so far off that its signed
 * password looks stale. Queued requests fail with this; reconnecting goes on.
 */
export class LoginRefusedError extends Error {
  override name = 'LoginRefusedError';
}
