import { afterAll, afterEach, beforeAll } from 'vitest';
import { type BrokerKind, type DeviceSystem, startDeviceSystem } from './system.ts';

/**
 * One system for a describe block, started before its tests and closed after
 * them; `started` receives it. Returns `closeAfterTest`, which closes what a
 * test opened (a device, a connection) once that test is over.
 */
export function useDeviceSystem(broker: BrokerKind, started: (system: DeviceSystem) => void): <T extends { close(): Promise<void> }>(opened: T) => T {
  let system: DeviceSystem | undefined;
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    system = await startDeviceSystem(broker);
    started(system);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });
  afterAll(async () => {
    await system?.close();
  });
  return (thing) => {
    opened.push(thing);
    return thing;
  };
}
