/**
 * The MQTT side of the device contract (docs/mqtt.md): where a device
 * publishes its signed requests, where the relay answers, and the audience of
 * the password a device signs to log in to the relay's embedded broker.
 */
const PREFIX = 'agentpay/v1/';

/** Topics of the device contract, v1. */
export const deviceTopics = {
  /** Everything under this prefix belongs to the contract. */
  prefix: PREFIX,
  requests: (deviceId: string) => `${PREFIX}devices/${deviceId}/requests`,
  events: (deviceId: string) => `${PREFIX}devices/${deviceId}/events`,
  allRequests: `${PREFIX}devices/+/requests`,
} as const;

/** Audience of the password a device signs to connect to the embedded broker. */
export const MQTT_CONNECT_AUDIENCE = 'mqtt connect';
