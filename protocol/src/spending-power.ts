import * as z from 'zod';
import { type MandateDocument, QuotaPeriod } from './mandate.ts';
import { Money } from './money.ts';
import { Actor } from './parties.ts';

/**
 * What an agent (or device) may spend, as it asks the relay for itself (`GET /v1/agents/me`):
 * whether its mandate lets it pay without asking the user, in the words the user's wallet uses,
 * and for a budget what is left of it and when it renews. An agent reads it to plan; the relay
 * still decides each payment.
 */
export const SpendingPower = z.object({
  actor: Actor.pick({ id: true, kind: true, name: true, status: true, walletId: true }),
  mandate: z
    .object({
      id: z.string(),
      kind: z.enum(['confirm_each', 'rules', 'quota']) satisfies z.ZodType<MandateDocument['kind']>,
      /** The mandate as a sentence, with merchants by name ("A budget of 500.00 CNY a month, at Demo Tea Shop."). */
      description: z.string(),
      /** False when every payment asks the user (confirm each), or the agent is paused or revoked. */
      paysWithoutAsking: z.boolean(),
      /** A budget's period now: its limit, what was spent and is left, and when it starts again. */
      budget: z
        .object({ limit: Money, spent: Money, left: Money, period: QuotaPeriod, renewsAt: z.string() })
        .nullable(),
    })
    .nullable(),
});
export type SpendingPower = z.infer<typeof SpendingPower>;
