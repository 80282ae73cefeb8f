import type { Logger } from 'pino';
import type { RelayConfig } from './config.ts';
import type { EventHub } from './events/hub.ts';
import type { PairingGate } from './identity/pairing.ts';
import type { Database } from './store/database.ts';
import type { Throttle } from './throttle/throttle.ts';
import type { Vault } from './vault/vault.ts';

/** What every service of the relay works with. */
export interface RelayContext {
  db: Database;
  config: RelayConfig;
  vault: Vault;
  events: EventHub;
  log: Logger;
  /** The relay's clock; tests move it to expire tokens and confirmations. */
  now(): Date;
  /** The pairing code and the guard against guessing it. */
  pairing: PairingGate;
  /** The code a wallet must present now (the same as `pairing.code`). */
  readonly pairingCode: string;
  /** Per-merchant count of card charges refused for naming no card of that merchant. */
  cardRefusals: Throttle;
}
