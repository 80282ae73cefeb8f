import type { Channel, DeviceProfile, IntentRequest } from '@agentpay/protocol';
import { ProtocolError } from '@agentpay/protocol';

/** The parts of a signer that decide what it may say about how it pays. */
export interface Claimant {
  kind: 'agent' | 'device';
  profile: DeviceProfile | null;
}

/**
 * Channels follow from what the signer is: an agent pays in a browser or through the API, a device
 * by voice or by scanning, and earphones have no camera to scan with. Mandate rules match on channels,
 * so a channel the signer could not have used would let it borrow a device's rule.
 */
const CHANNELS: Record<'agent' | DeviceProfile, readonly Channel[]> = {
  agent: ['browser', 'api'],
  cockpit: ['device-voice', 'device-scan'],
  glasses: ['device-voice', 'device-scan'],
  earphones: ['device-voice'],
  other: ['device-voice', 'device-scan'],
};

/** Only a car's cockpit knows whether it is being driven; `whileDriving` rules trust no one else. */
const DRIVES: ReadonlySet<DeviceProfile> = new Set(['cockpit']);

/** Pure: refuses an intent whose channel or driving claim the signer cannot make, naming the field. */
export function checkClaims(signer: Claimant, intent: Pick<IntentRequest, 'channel' | 'context'>): void {
  const what = signer.kind === 'agent' ? 'agent' : (signer.profile ?? 'other');
  const allowed = CHANNELS[what];
  if (!allowed.includes(intent.channel)) {
    throw new ProtocolError('invalid_request', `channel "${intent.channel}" is not one ${signer.kind === 'agent' ? 'an agent' : `this ${what} device`} pays through (${allowed.join(', ')})`, 422, [
      { path: 'channel', message: `must be one of ${allowed.join(', ')} for this signer` },
    ]);
  }
  if (intent.context.driving === true && !(signer.kind === 'device' && DRIVES.has(signer.profile ?? 'other'))) {
    throw new ProtocolError('invalid_request', `context.driving can only be claimed by a car's cockpit, not by this ${signer.kind === 'agent' ? 'agent' : `${what} device`}`, 422, [
      { path: 'context.driving', message: "only a cockpit device may say it is driving" },
    ]);
  }
}
