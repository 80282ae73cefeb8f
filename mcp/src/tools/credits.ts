import { formatMoney, WalletCredits } from '@agentpay/protocol';
import { defineTool } from './tool.ts';

/** Token Pay: what the user's prepaid credits at model vendors still hold, and top-ups on their way. */
export const creditsTool = defineTool({
  name: 'get_credits',
  title: 'Prepaid credits at AI vendors',
  description:
    "Your user's prepaid credits at each AI vendor (Token Pay): balance, what running requests have reserved, what is left, the account id "
    + "(cra_…, which the vendor takes as your key) and top-ups still waiting for your user. Buy more with top_up_credits.",
  input: {},
  readOnly: true,
  async run({ relay }) {
    const { credits } = WalletCredits.parse(await relay.get('/v1/agents/me/credits'));
    const lines = credits.map((c) => {
      const available = { minor: c.balance.minor - c.reserved.minor, currency: c.balance.currency };
      const waiting = c.topUps.filter((t) => t.status === 'pending' || t.status === 'held')
        .map((t) => ({ topUpId: t.id, paymentId: t.intentId, amount: t.amount, status: t.status, automatic: t.automatic }));
      return { accountId: c.accountId, vendor: c.vendor, balance: c.balance, reserved: c.reserved, available, waiting };
    });
    const text = lines.length === 0
      ? 'No prepaid credits at any vendor yet. Buy some with top_up_credits (the vendor\'s id or its API URL).'
      : lines.map((l) => [
          `${l.vendor.name} (vendor ${l.vendor.id}, account ${l.accountId}): ${formatMoney(l.available)} available (${formatMoney(l.balance)} balance)`,
          ...l.waiting.map((w) => `  top-up ${formatMoney(w.amount)} ${w.status === 'held' ? 'waits for your user\'s approval' : 'is being decided'} (payment ${w.paymentId ?? 'not yet made'})`),
        ].join('\n')).join('\n');
    return { text, data: { credits: lines } };
  },
});
