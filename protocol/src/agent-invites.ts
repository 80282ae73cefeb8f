import * as z from 'zod';
import { PublicJwk } from './signatures.ts';
import { displayText } from './display-text.ts';
import { text } from './text.ts';

/** How long an agent code works after the wallet made it. */
export const AGENT_INVITE_TTL_SECONDS = 10 * 60;

/**
 * A single-use code the user's wallet makes for an agent that runs elsewhere (a script, `npm run
 * demo:agent`): the agent presents it with its own public key and joins that wallet, with no mandate.
 */
export const AgentInvite = z.object({
  /** What the user hands the agent, e.g. `K7QM-2XPD-9HVA`: case, spaces and dashes do not matter. */
  code: z.string(),
  expiresAt: z.string(),
});
export type AgentInvite = z.infer<typeof AgentInvite>;

/** What an agent sends to join a wallet: the code, its name, and the key it signs with (the request is signed by it). */
export const AgentEnrollment = z
  .object({
    code: text({ error: 'code is required: the agent code the wallet showed' }).min(1, 'code is required').max(40),
    name: displayText(120, 'name is required'),
    publicKey: PublicJwk,
  })
  .strict();
export type AgentEnrollment = z.infer<typeof AgentEnrollment>;
