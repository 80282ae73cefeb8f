import type { Logger } from 'pino';
import type { RelayConfig } from './config.ts';
import type { EventHub } from './events/hub.ts';
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
  /** The code a wallet presents to pair with this relay. */
  pairingCode: string;
  /** Per-merchant count of card charges refused for naming no card of that merchant. */
  cardRefusals: Throttle;
}
