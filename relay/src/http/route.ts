import type { z } from 'zod';
import type { RelayContext } from '../context.ts';
import type { RelayEvent } from '../events/hub.ts';
import type { Principal, PrincipalKind } from '../identity/principals.ts';
import type { Queryable } from '../store/database.ts';

/**
 * Who may call a route:
 * - a list of principal kinds: signed by a registered wallet, agent, device or merchant;
 * - `'self'`: signed by the key the body registers (proof of possession);
 * - `'none'`: public and read-only.
 */
export type RouteAuth = PrincipalKind[] | 'self' | 'none';

export interface HandlerInput<B, Q> {
  ctx: RelayContext;
  /** The verified signer; for `'self'` routes a stand-in named by the key's thumbprint. */
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Aborts when the client goes away (long polls and streams). */
  signal: AbortSignal;
  /** The caller's network address, for throttling guesses. */
  source: string;
  /** The URL the request came to (its origin is the relay's, as the caller reached it). */
  url: URL;
}

export interface CommandInput<B, Q, P = undefined> extends HandlerInput<B, Q> {
  tx: Queryable;
  outbox: RelayEvent[];
  /** What `prepare` found, before the transaction. */
  prepared: P;
}

/** One HTTP endpoint: its contract (for validation and OpenAPI) and its handler. */
export interface Route<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** OpenAPI-style path, e.g. `/v1/intents/{id}`. */
  path: string;
  summary: string;
  tag: 'public' | 'agents and devices' | 'wallet' | 'merchant';
  auth: RouteAuth;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Shape of a successful answer, for the OpenAPI document. */
  response?: z.ZodType;
  /** Status of a successful command (default 200). */
  status?: number;
  /**
   * Slow work a command needs that must not hold a transaction open, such as
   * fetching from the network: runs after the signature is verified and before
   * the command's transaction, its result handed to the command as `prepared`.
   */
  prepare?: (input: HandlerInput<B, Q>) => Promise<P>;
  /** State changes: run once per Idempotency-Key, in one transaction. */
  command?: (input: CommandInput<B, Q, P>) => Promise<unknown>;
  /** Reads: may return a Response to stream. */
  read?: (input: HandlerInput<B, Q>) => Promise<unknown> | Response;
}

/** Keeps each route's body and query types tied to its schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(spec: Route<B, Q, P>): Route {
  return spec as unknown as Route;
}
