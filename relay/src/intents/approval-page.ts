import { formatMoney } from '@agentpay/protocol';
import type { Hono } from 'hono';
import type { RelayContext } from '../context.ts';
import { loadIntent, toIntent } from './model.ts';

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS: Record<string, string> = {
  pending_confirmation: 'Waiting for you. Approve or refuse it in your AgentPay wallet: the window your browser extension opened, your device, or the AI Wallet page.',
  approved: 'Approved.',
  declined: 'Declined by your mandate.',
  denied: 'Refused (or cancelled). Nothing was paid.',
  expired: 'Expired unanswered. Nothing was paid.',
};

/**
 * `GET /approvals/{intentId}`: the page an MCP client shows its user (URL-mode elicitation) for a
 * payment held for them. It says what waits and where to answer, and holds no way to approve:
 * only the wallet's key can. Anyone with the (unguessable) id may read it, as with a payment link.
 */
export function mountApprovalPage(app: Hono, ctx: RelayContext): void {
  app.get('/approvals/:id', async (c) => {
    const id = c.req.param('id');
    // Only an id the relay could have made reaches the store: anything else is simply not found.
    const row = /^int_[0-9a-z]{1,64}$/.test(id) ? await loadIntent(ctx.db, id) : undefined;
    if (!row) return c.html('<!doctype html><title>AgentPay</title><p>No such payment.</p>', 404);
    const intent = toIntent(row);
    const [names] = await ctx.db.query<{ merchant: string; actor: string }>(
      'SELECT m.name AS merchant, a.name AS actor FROM merchants m, actors a WHERE m.id = $1 AND a.id = $2', [intent.merchantId, intent.actorId],
    );
    c.header('cache-control', 'no-store');
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>AgentPay: a payment for you to answer</title><style>body{font:16px system-ui;max-width:34em;margin:3em auto;padding:0 1em}</style></head>
<body><h1>${esc(formatMoney(intent.amount))} to ${esc(names?.merchant ?? intent.merchantId)}</h1>
<p>Asked by <strong>${esc(names?.actor ?? intent.actorId)}</strong>${intent.description ? `: ${esc(intent.description)}` : ''}</p>
<p id="status" role="status">${esc(STATUS[intent.status] ?? intent.status)}</p></body></html>`);
  });
}
