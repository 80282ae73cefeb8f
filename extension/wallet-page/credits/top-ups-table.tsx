import { formatMoney, type TopUp } from '@agentpay/protocol';
import { topUpHow, topUpStatusText } from './labels.ts';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The credits bought at one vendor, newest first: when, how much, which agent, whether it asked or the setting did, and how it ended. */
export function TopUpsTable({ topUps, vendorName }: { topUps: TopUp[]; vendorName: string }) {
  const headingId = `top-ups-${topUps[0]?.accountId ?? vendorName}`;
  return (
    <section aria-labelledby={headingId}>
      <h4 id={headingId}>Top-ups</h4>
      {topUps.length === 0 ? (
        <p class="muted">No credits bought through AgentPay at {vendorName} yet.</p>
      ) : (
        <div class="scroll">
          <table class="top-ups" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" class="amount">Amount</th>
                <th scope="col">Agent</th>
                <th scope="col">How</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {topUps.map((t) => (
                <tr key={t.id} data-top-up-id={t.id} data-status={t.status} data-automatic={String(t.automatic)} data-agent-name={t.agent.name}>
                  <td><time dateTime={t.createdAt}>{when(t.createdAt)}</time></td>
                  <td class="amount">{formatMoney(t.amount)}</td>
                  <td class="agent-name">{t.agent.name}</td>
                  <td>{topUpHow(t)}</td>
                  <td><span class={`top-up-status ${t.status}`}>{topUpStatusText(t)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
