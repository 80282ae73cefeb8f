import type { ConfirmationRequest, Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** What the confirmation window is told about the mandate behind a held payment: words, not ids. */
describe.each(STORES)('a confirmation request says the mandate in words, on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
  });
  afterAll(() => dropSchema(relay));

  async function heldConfirmation(minor: number): Promise<ConfirmationRequest> {
    const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, minor));
    expect(intent.status).toBe('pending_confirmation');
    const { confirmations } = await parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    return confirmations.find((c) => c.intentId === intent.id)!;
  }

  it('names a budget by its amount, period, limit, categories and merchants by name, with what is left of it', async () => {
    const merchantId = parties.merchant.record.id;
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', maxPerPaymentMinor: 100_00, categories: ['physical_goods'], merchants: [merchantId],
    });
    // 30.00 CNY spent within the budget, then a payment above the per-payment limit is held.
    expect((await parties.agent.client.post<Intent>('/v1/intents', cart(merchantId, 30_00))).status).toBe('approved');
    const confirmation = await heldConfirmation(150_00);
    expect(confirmation.mandate).toEqual({
      description: 'A budget of 500.00 CNY a month, up to 100.00 CNY a payment, on physical goods, at Demo Shop.',
      budgetLeft: { minor: 470_00, currency: 'CNY' },
    });
    expect(confirmation.mandate!.description).not.toContain(merchantId);
    expect(confirmation.fundingSource).toBe('your AgentPay wallet');
  });

  it('says rules by their descriptions, also in why the payment was held, never by their ids', async () => {
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'rules',
      rules: [
        { id: 'rule-1', description: 'Small tea orders', currency: 'CNY', maxPerPaymentMinor: 50_00 },
        { id: 'rule-2', currency: 'CNY', maxPerPaymentMinor: 80_00, merchants: { allow: [parties.merchant.record.id] }, categories: { allow: ['physical_goods'] } },
      ],
    });
    const confirmation = await heldConfirmation(120_00);
    expect(confirmation.mandate!.description).toBe(
      'This agent may pay on its own where one of your rules allows: "Small tea orders"; up to 80.00 CNY a payment at Demo Shop on physical goods.',
    );
    const words = JSON.stringify([confirmation.mandate, confirmation.reasons]);
    expect(words).not.toMatch(/rule-\d|mer_|mdt_/);
    expect(confirmation.reasons.find((r) => r.code === 'no_rule_matched')?.message).toContain('"Small tea orders": 120.00 CNY is above 50.00 CNY');
  });

  it('says when no mandate is set, and a mandate asking every time', async () => {
    expect((await heldConfirmation(10_00)).mandate).toEqual({ description: 'No mandate is set for this agent, so it asks you before every payment.', budgetLeft: null });
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each' });
    expect((await heldConfirmation(10_00)).mandate!.description).toBe('This agent\'s mandate asks you before every payment.');
  });
});
