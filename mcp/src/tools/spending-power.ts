import { formatMoney, SpendingPower } from '@agentpay/protocol';
import { defineTool } from './tool.ts';

export const spendingPowerTool = defineTool({
  name: 'get_spending_power',
  title: 'What I may spend',
  description:
    "What this agent may pay without asking its user, by the mandate the user set: the mandate in the user's words, and for a budget what is left and when it renews. Every other payment waits for the user.",
  input: {},
  readOnly: true,
  async run({ relay }) {
    const power = SpendingPower.parse(await relay.get('/v1/agents/me'));
    const { mandate } = power;
    const text = !mandate
      ? 'No mandate is set: every payment you ask for waits for your user to approve it.'
      : mandate.budget
        ? `${mandate.description} Left: ${formatMoney(mandate.budget.left)} of ${formatMoney(mandate.budget.limit)} until ${mandate.budget.renewsAt}.${mandate.paysWithoutAsking ? '' : ' Payments now wait for your user.'}`
        : `${mandate.description}${mandate.paysWithoutAsking ? '' : ' Every payment waits for your user.'}`;
    return { text: power.actor.status === 'active' ? text : `You are ${power.actor.status} by your user: nothing is paid. ${text}`, data: power };
  },
});
