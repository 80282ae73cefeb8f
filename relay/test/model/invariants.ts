import { canonicalize } from '@agentpay/protocol';
import { checkLedger } from '../../src/ledger/check.ts';
import { INITIAL_THRESHOLD_MINOR, type Entry, type IntentCart, type World } from './run.ts';

/**
 * The promises the relay makes to wallets, agents and merchants, checked after a run against what
 * each client was told (and when) and against what the relay stored. Each broken one is a line
 * naming the requests (by #n in the timeline) that show it.
 */
export async function brokenPromises(world: World): Promise<string[]> {
  const broken: string[] = [];
  const db = world.relay.ctx.db;
  const [w0, w1] = world.wallets.map((w) => w.record.id);
  const log = world.log;
  const wasOk = (what: string | string[]) => log.filter((e) => e.ok && (Array.isArray(what) ? what.includes(e.what) : e.what === what));

  // One snapshot for every row compared below: the relay's own sweeper keeps running (its clock moves with real
  // time) and may expire a token between two separate reads, crediting its quota in between.
  const { tokens, intents, charges, quotaRows } = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const tokens = await tx.query<{ id: string; intent_id: string; actor_id: string; max_minor: number; expires_at: Date; status: string; cvc_failures: number }>(
      `SELECT t.id, t.intent_id, i.actor_id, t.max_minor, t.expires_at, t.status, t.cvc_failures FROM tokens t JOIN intents i ON i.id = t.intent_id
       WHERE t.wallet_id IN ($1, $2)`, [w0, w1]);
    const intents = await tx.query<{
      id: string; actor_id: string; status: string; approval_jws: string | null; merchant_id: string; amount_minor: number; currency: string;
      line_items: unknown; category: string; confirm_by: Date | null; quota_period_start: Date | null;
    }>('SELECT id, actor_id, status, approval_jws, merchant_id, amount_minor, currency, line_items, category, confirm_by, quota_period_start FROM intents WHERE wallet_id IN ($1, $2)', [w0, w1]);
    const charges = await tx.query<{ id: string; token_id: string; intent_id: string; amount_minor: number; refunded_minor: number }>(
      'SELECT id, token_id, intent_id, amount_minor, refunded_minor FROM charges WHERE wallet_id IN ($1, $2)', [w0, w1]);
    const quotaRows = await tx.query<{ actor_id: string; period_start: Date; spent_minor: number; budget_minor: number }>(
      'SELECT actor_id, period_start, spent_minor, budget_minor FROM quota_usage WHERE actor_id IN ($1, $2, $3)', world.actors.map((a) => a.record.id));
    return { tokens, intents, charges, quotaRows };
  });
  const tokenById = new Map(tokens.map((t) => [t.id, t]));
  const tokenOfIntent = new Map(tokens.map((t) => [t.intent_id, t]));
  const intentById = new Map(intents.map((i) => [i.id, i]));

  // Nothing the relay answered was a crash, and every client got an answer it could read.
  for (const e of log) if (!e.ok && ((e.status ?? 0) >= 500 || e.code === 'client_error')) broken.push(`#${e.n} ${e.what} failed: ${e.code} ${e.message}`);

  // The ledger check, on this run's parties (earlier runs on this relay have their own).
  const ids = [...world.wallets.map((w) => w.record.id), ...world.actors.map((a) => a.record.id), ...world.merchants.map((m) => m.record.id),
    ...tokens.map((t) => t.id), ...intents.map((i) => i.id), ...charges.map((c) => c.id)];
  for (const p of (await checkLedger(db)).problems) if (ids.some((id) => p.detail.includes(id))) broken.push(`ledger check: ${p.check}: ${p.detail}`);

  for (const actor of world.actors) {
    const actorId = actor.record.id;
    const mine = (e: Entry) => e.actorId === actorId;
    const statusChanges = wasOk('status').filter(mine);

    // Revoking is final, and nothing of the actor is approved, handed or charged once it answered.
    const revokes = statusChanges.filter((e) => e.status_ === 'revoked');
    if (revokes.length > 0) {
      const revoked = Math.min(...revokes.map((e) => e.answeredAt));
      for (const e of log.filter((x) => x.ok && mine(x) && x.sentAt > revoked)) {
        if (['intent', 'approve', 'charge'].includes(e.what) || (e.what === 'status' && e.status_ !== 'revoked') || (e.what === 'poll' && e.tokenId)) {
          broken.push(`#${e.n} ${e.what} of ${actorId} succeeded, sent after its revoke answered (#${revokes.find((r) => r.answeredAt === revoked)!.n})`);
        }
      }
      if (tokens.some((t) => t.actor_id === actorId && t.status === 'active')) broken.push(`${actorId} is revoked but still has an active token`);
      if (intents.some((i) => i.actor_id === actorId && i.status === 'pending_confirmation')) broken.push(`${actorId} is revoked but an intent of it still awaits approval`);
    }

    // Nothing of a paused actor is approved: an approval sent after a pause answered, with no resume
    // that could have committed in between, is refused, and so is such an intent.
    const pauses = statusChanges.filter((e) => e.status_ === 'paused');
    const resumes = statusChanges.filter((e) => e.status_ === 'active');
    const certainlyPaused = (x: Entry) => pauses.find((p) => p.answeredAt < x.sentAt && resumes.every((r) => r.answeredAt < p.sentAt || r.sentAt > x.answeredAt));
    for (const x of log.filter((e) => e.ok && mine(e) && ((e.what === 'intent' && e.status_ === 'approved') || e.what === 'approve'))) {
      const pause = certainlyPaused(x);
      if (pause) broken.push(`#${x.n} ${x.what} of ${actorId} was approved while it was paused (pause #${pause.n} answered before it was sent, no resume between)`);
    }
  }

  // Tokens: charged once, never beyond their maximum, only by their merchant, before expiry, never after being ended.
  const chargeEntries = log.filter((e) => e.what === 'charge');
  const chargedIds = new Map<string, Set<string>>();
  for (const e of log.filter((x) => x.ok && (x.what === 'charge' || x.what === 'charge-replay'))) {
    const set = chargedIds.get(e.tokenId!) ?? new Set();
    set.add(e.chargeId!);
    chargedIds.set(e.tokenId!, set);
  }
  for (const [tokenId, set] of chargedIds) if (set.size > 1) broken.push(`token ${tokenId} was charged ${set.size} times: ${[...set].join(', ')}`);
  for (const e of chargeEntries.filter((x) => x.ok)) {
    const token = tokenById.get(e.tokenId!);
    if (!token) {
      broken.push(`#${e.n} charged token ${e.tokenId}, which the relay does not have`);
      continue;
    }
    if (e.amountMinor! > token.max_minor) broken.push(`#${e.n} charged ${e.amountMinor} on token ${token.id} whose maximum is ${token.max_minor}`);
    if (e.by === 'foreign') broken.push(`#${e.n} merchant${e.merchant} charged a token of merchant${e.tokenMerchant}`);
    if (e.by === 'wrong-cvc' || e.by === 'wrong-expiry') broken.push(`#${e.n} a card charge with a ${e.by.slice(6)} succeeded`);
    if (e.relaySentAt >= token.expires_at.getTime()) broken.push(`#${e.n} charged token ${token.id} after it expired (${token.expires_at.toISOString()})`);
    const ended = log.find((r) => r.what === 'reverse' && r.ok && r.reversed === 'token_revoked' && r.intentId === token.intent_id && r.answeredAt < e.sentAt);
    if (ended) broken.push(`#${e.n} charged token ${token.id}, sent after reverse #${ended.n} answered that it was revoked`);
  }
  for (const c of charges) {
    const token = tokenById.get(c.token_id);
    if (!token || c.amount_minor > token.max_minor) broken.push(`charge ${c.id} of ${c.amount_minor} exceeds its token's maximum ${token?.max_minor}`);
  }
  for (const e of log.filter((x) => x.what.endsWith('-replay'))) {
    const first = log[e.replayOf!]!;
    if (!first.ok) continue;
    // A revoked agent is not answered at all any more, not even with what it was told before.
    if (e.what === 'intent-replay' && e.code === 'agent_revoked') continue;
    const same = e.ok && (e.what === 'charge-replay' ? e.chargeId === first.chargeId : e.intentId === first.intentId && (e.tokenId === first.tokenId || !first.tokenId));
    if (!same) broken.push(`#${e.n} repeated #${first.n} with its idempotency key and was told ${e.ok ? `${e.chargeId ?? e.intentId} ${e.tokenId ?? ''}` : e.code}, not the first answer`);
  }

  // What merchants and wallets were told is what the relay recorded: every charge and every refund.
  const answeredCharges = new Set(chargeEntries.filter((e) => e.ok).map((e) => e.chargeId!));
  for (const c of charges) if (!answeredCharges.has(c.id)) broken.push(`charge ${c.id} is recorded, but no merchant was told it succeeded`);
  for (const id of answeredCharges) if (!charges.some((c) => c.id === id)) broken.push(`a merchant was told charge ${id} succeeded, but the relay has no such charge`);
  for (const c of charges) {
    const refunds = log.filter((e) => e.ok && e.chargeId === c.id && (e.what === 'refund' || (e.what === 'reverse' && e.reversed === 'refunded')));
    const told = refunds.reduce((sum, e) => sum + e.amountMinor!, 0);
    if (told !== c.refunded_minor) broken.push(`charge ${c.id}: refunds answered ok add up to ${told}, the relay says ${c.refunded_minor} refunded (${refunds.map((e) => `#${e.n}`).join(', ')})`);
  }
  // An approval is final: an intent answered approved stays approved.
  for (const e of log.filter((x) => x.ok && ((x.what === 'intent' && x.status_ === 'approved') || x.what === 'approve'))) {
    const row = intentById.get(e.intentId!);
    if (row?.status !== 'approved') broken.push(`#${e.n} intent ${e.intentId} was answered approved, but is now ${row?.status}`);
  }

  // At most three wrong CVCs are judged per card (each counted), and none charges after the third.
  const judged = new Map<string, Entry[]>();
  for (const e of chargeEntries.filter((x) => x.code === 'card_declined' && x.message?.includes('cvc is wrong'))) {
    judged.set(e.tokenId!, [...(judged.get(e.tokenId!) ?? []), e]);
  }
  for (const token of tokens) {
    const guesses = (judged.get(token.id) ?? []).sort((a, b) => a.answeredAt - b.answeredAt);
    if (guesses.length > 3) broken.push(`token ${token.id}: ${guesses.length} wrong CVCs were judged (${guesses.map((g) => `#${g.n}`).join(', ')})`);
    if (guesses.length !== token.cvc_failures) broken.push(`token ${token.id}: merchants were told of ${guesses.length} wrong CVCs, the relay counted ${token.cvc_failures}`);
    const third = guesses[2];
    const late = third && chargeEntries.find((e) => e.ok && e.tokenId === token.id && e.sentAt > third.answeredAt);
    if (late) broken.push(`#${late.n} charged token ${token.id} after the third wrong CVC (#${third.n}) was answered`);
  }

  // Every approval was of exactly the cart the agent asked for and the wallet was shown, and signed so.
  const asked = new Map(log.filter((e) => e.ok && e.what === 'intent').map((e) => [e.intentId!, e.cart as IntentCart]));
  const approvals = wasOk('approve');
  for (const e of approvals) {
    const shown = e.cart!;
    const cart = asked.get(e.intentId!);
    const row = intentById.get(e.intentId!);
    const fields = (c: IntentCart) => canonicalize({ merchantId: c.merchantId, amount: c.amount, lineItems: c.lineItems, category: c.category });
    if (!cart || fields(cart) !== fields(shown as IntentCart) || (shown as { intentId: string }).intentId !== e.intentId) {
      broken.push(`#${e.n} approved intent ${e.intentId} shown as ${canonicalize(shown)}, but the agent asked for ${cart ? canonicalize(cart) : 'nothing'}`);
    }
    if (!row || row.status !== 'approved' || !row.approval_jws) {
      broken.push(`#${e.n} approved intent ${e.intentId}, which the relay stored as ${row?.status}`);
      continue;
    }
    const stored = JSON.parse(Buffer.from(row.approval_jws.split('.')[1]!, 'base64url').toString());
    if (canonicalize(stored) !== canonicalize({ ...shown, decision: 'approve' }) || row.approval_jws !== e.jws) {
      broken.push(`#${e.n} the relay stored another approval for ${e.intentId} than the wallet signed: ${canonicalize(stored)}`);
    }
    const rowCart = { merchantId: row.merchant_id, amount: { minor: row.amount_minor, currency: row.currency }, lineItems: row.line_items, category: row.category };
    if (canonicalize(rowCart) !== fields(shown as IntentCart)) broken.push(`#${e.n} intent ${e.intentId} is stored as ${canonicalize(rowCart)}, not the cart approved`);
    if (row.confirm_by && e.relaySentAt >= row.confirm_by.getTime()) broken.push(`#${e.n} approved intent ${e.intentId} after its confirmation expired`);
  }
  const approvedIds = new Set(approvals.map((e) => e.intentId));
  for (const row of intents.filter((i) => i.approval_jws && i.status === 'approved')) {
    if (!approvedIds.has(row.id)) broken.push(`intent ${row.id} is approved by the user, but no approval of it was answered ok`);
  }
  if (approvedIds.size !== approvals.length) broken.push('one intent was approved twice');
  for (const e of log.filter((x) => x.what === 'tamper')) {
    if (e.code !== 'approval_mismatch') broken.push(`#${e.n} an approval signed over another cart than intent ${e.intentId} was answered ${e.ok ? 'ok' : e.code}, not approval_mismatch`);
  }

  // Each quota's spending is what its live tokens hold plus what was charged and not refunded.
  const chargeOfToken = new Map(charges.map((c) => [c.token_id, c]));
  for (const q of quotaRows) {
    let expected = 0;
    const parts: string[] = [];
    for (const i of intents.filter((x) => x.actor_id === q.actor_id && x.quota_period_start?.getTime() === q.period_start.getTime())) {
      const token = tokenOfIntent.get(i.id);
      if (token?.status === 'active') expected += token.max_minor;
      const charge = token && chargeOfToken.get(token.id);
      if (charge) expected += charge.amount_minor - charge.refunded_minor;
      parts.push(`${i.id} ${i.amount_minor} token ${token?.id} ${token?.status}${charge ? ` charged ${charge.amount_minor} refunded ${charge.refunded_minor}` : ''}`);
    }
    // Never less than its intents hold (that would let the agent overspend). More is allowed only after a mandate
    // edit: a charge or refund racing the edit's recount can leave its credit uncounted until the next edit.
    const edited = log.some((e) => e.what === 'mandate' && e.actorId === q.actor_id);
    if (q.spent_minor < expected || (!edited && q.spent_minor !== expected)) broken.push(`quota of ${q.actor_id} from ${q.period_start.toISOString()} says ${q.spent_minor} spent, its tokens and charges ${expected}:\n  ${parts.join('\n  ')}`);
    if (q.spent_minor > q.budget_minor) broken.push(`quota of ${q.actor_id} spent ${q.spent_minor} of ${q.budget_minor}`);
  }

  // Once a passkey is set (answered), only the person can approve above the threshold, edit a mandate,
  // resume an actor, change the thresholds or replace the passkey.
  world.wallets.forEach((wallet, w) => {
    const ofWallet = (e: Entry) => e.client.startsWith(`wallet${w}.`);
    const bare = wasOk('passkey').filter((e) => ofWallet(e) && !e.withAssertion);
    if (bare.length > 1) broken.push(`wallet ${wallet.record.id} had its passkey set ${bare.length} times without an assertion (${bare.map((e) => `#${e.n}`).join(', ')})`);
    const set = wasOk('passkey').filter(ofWallet);
    if (set.length === 0) return;
    const since = Math.min(...set.map((e) => e.answeredAt));
    const thresholdChanges = wasOk('thresholds').filter(ofWallet);
    for (const e of log.filter((x) => x.ok && ofWallet(x) && !x.withAssertion && x.sentAt > since)) {
      if (['passkey', 'thresholds', 'mandate'].includes(e.what) || (e.what === 'status' && e.status_ === 'active')) {
        broken.push(`#${e.n} ${e.what} succeeded without the passkey, sent after the passkey was set`);
      }
      if (e.what === 'approve') {
        const superseded = (answeredAt: number) => thresholdChanges.some((d) => d.sentAt > answeredAt && d.answeredAt < e.sentAt);
        const possible = [
          ...(thresholdChanges.some((d) => d.answeredAt < e.sentAt) ? [] : [INITIAL_THRESHOLD_MINOR]),
          ...thresholdChanges.filter((c) => c.sentAt < e.answeredAt && !superseded(c.answeredAt)).map((c) => c.thresholdMinor!),
        ];
        if (e.amountMinor! >= Math.max(...possible)) broken.push(`#${e.n} approved ${e.amountMinor} without the passkey, at or above every threshold in force (${possible.join(', ')})`);
      }
    }
  });
  return broken;
}
