import { ProtocolError } from '@agentpay/protocol';
import type { RelayContext } from '../context.ts';
import type { Principal } from '../identity/principals.ts';
import { activeTokenFor } from '../vault/tokens.ts';
import { isTopUpIntent } from '../credits/top-ups.ts';
import { loadIntent, toIntent } from './model.ts';

/** Reads an intent, waiting (up to `waitSeconds`) for a held one to be answered. */
export async function readIntent(ctx: RelayContext, principal: Principal, id: string, waitSeconds: number, signal: AbortSignal) {
  const visible = (row: { wallet_id: string; actor_id: string }) =>
    principal.kind === 'wallet' ? row.wallet_id === principal.id : row.actor_id === principal.id;
  let row = await loadIntent(ctx.db, id);
  if (!row || !visible(row)) throw new ProtocolError('not_found', `no intent ${id} for ${principal.id}`, 404);
  if (row.status === 'pending_confirmation' && waitSeconds > 0) {
    await waitForChange(ctx, id, waitSeconds * 1000, signal);
    row = (await loadIntent(ctx.db, id))!;
  }
  // A top-up's token is the relay's to charge (it buys the credits itself): never the agent's to read.
  const token = row.status === 'approved' && row.actor_id === principal.id && !(await isTopUpIntent(ctx.db, id)) ? await activeTokenFor(ctx, ctx.db, id) : undefined;
  return toIntent(row, token);
}

function waitForChange(ctx: RelayContext, intentId: string, ms: number, outer: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = new AbortController();
    const timer = setTimeout(() => done.abort(), ms);
    done.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
    // The client leaving or the relay stopping ends the wait: the intent is read and answered as it is.
    const ended = AbortSignal.any([outer, ctx.events.closing]);
    if (ended.aborted) done.abort();
    ended.addEventListener('abort', () => done.abort(), { once: true });
    ctx.events.subscribe((event) => {
      if (event.type === 'intent.updated' && event.intent.id === intentId) done.abort();
    }, done.signal);
  });
}
