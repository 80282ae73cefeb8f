import { formatMoney, type Money, type PaymentState, type PaymentStory, ProtocolError, type RelayHttpClient } from '@agentpay/protocol';
import { walletClient } from '../shared/relay.ts';
import { type Outcome, read, update } from '../shared/state.ts';

/** What a request the window showed became, kept for the window until the user has seen it. */
export async function recordOutcome(outcome: Omit<Outcome, 'at' | 'moneyMoved' | 'id'> & { moneyMoved?: boolean }): Promise<void> {
  // A checkout's id is the page's choice: kept apart from intent ids, so no page can replace a payment's outcome.
  const entry: Outcome = { ...outcome, id: outcome.intentId ?? `checkout:${outcome.checkoutId}`, moneyMoved: outcome.moneyMoved ?? false, at: new Date().toISOString() };
  await update('outcomes', (list) => [...list.filter((o) => o.id !== entry.id), entry]);
}

/** The user saw an outcome and closed it. */
export async function dismissOutcome(id: string): Promise<void> {
  await update('outcomes', (list) => list.filter((o) => o.id !== id));
}

/** "Paid 58.00 CNY to Demo Tea Shop": the sentence a charged payment ends with. */
export function paidSentence(amount: Money | null, merchantName: string): string {
  return amount ? `Paid ${formatMoney(amount)} to ${merchantName}.` : `Paid to ${merchantName}.`;
}

/** What the window and the page are told when nobody answered in time. */
export const EXPIRED_SENTENCE = 'Expired: nothing was paid. Nobody answered in time; ask the agent to try again if you still want it.';

/** Said while the shop has the one-time card and has not charged it yet. */
export const APPROVED_SENTENCE = 'Approved; handed to the shop, waiting for it to charge. Nothing is paid until it does.';

/**
 * Asks the relay what became of each approved payment the window still shows, and turns it into
 * "Paid …" once the shop charged (or into what else happened: the card expired unused, was
 * cancelled). The relay's record is the one source: the window says paid only when it says so.
 */
export async function refreshOutcomes(): Promise<void> {
  const waiting = (await read('outcomes')).filter((o) => o.state === 'approved' && o.intentId);
  if (waiting.length === 0) return;
  const wallet = await walletClient();
  for (const outcome of waiting) {
    const story = await storyOf(wallet, outcome.intentId!).catch(() => null); // the relay down: ask again next time
    if (!story || story.state === 'approved') continue;
    const sentence = story.state === 'paid' ? paidSentence(outcome.amount, outcome.merchantName) : (story.reason ?? `This payment ended ${story.state}.`);
    await update('outcomes', (list) => list.map((o) => (o.id === outcome.id && o.state === 'approved' ? { ...o, state: story.state, sentence, moneyMoved: story.moneyMoved, at: story.at } : o)));
  }
}

type StoryNow = Pick<PaymentStory, 'state' | 'reason' | 'moneyMoved' | 'at'>;

interface RecordSeen {
  id: string;
  story?: PaymentStory;
  charge: { refundedMinor: number } | null;
  tokenStatus: string | null;
  status: string;
}

/**
 * One payment's story at the relay: `GET /v1/wallet/records/{id}` where the relay has it, else read
 * from the records list (a relay before that route): charged is paid, a token that lapsed or was
 * revoked unused is expired or cancelled, anything else still waits for the shop.
 */
async function storyOf(wallet: RelayHttpClient, intentId: string): Promise<StoryNow | null> {
  try {
    const record = await wallet.get<RecordSeen>(`/v1/wallet/records/${encodeURIComponent(intentId)}`);
    if (record.story) return record.story;
    return fromRecord(record);
  } catch (error) {
    if (!(error instanceof ProtocolError && error.status === 404)) throw error;
  }
  const { records } = await wallet.get<{ records: RecordSeen[] }>('/v1/wallet/records?limit=100');
  const record = records.find((r) => r.id === intentId);
  return record ? fromRecord(record) : null;
}

function fromRecord(record: RecordSeen): StoryNow {
  const at = new Date().toISOString();
  const state: PaymentState = record.charge ? 'paid' : record.tokenStatus === 'expired' ? 'expired' : record.tokenStatus === 'revoked' ? 'cancelled' : 'approved';
  const reason = state === 'expired' ? 'The shop did not charge before the one-time card expired, so nothing was paid.' : state === 'cancelled' ? 'The one-time card was cancelled before the shop charged it, so nothing was paid.' : null;
  return { state, reason, moneyMoved: !!record.charge, at };
}
