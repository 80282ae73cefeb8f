import type { Category, Channel, Decision, Intent, IntentStatus, LineItem, TokenGrant } from '@agentpay/protocol';

/** An intents row as the database returns it. */
export interface IntentRow {
  id: string;
  wallet_id: string;
  actor_id: string;
  merchant_id: string;
  amount_minor: number;
  currency: string;
  line_items: LineItem[];
  category: Category;
  channel: Channel;
  description: string | null;
  task_id: string | null;
  context: { driving?: boolean; origin?: string };
  evidence: Record<string, string> | null;
  status: IntentStatus;
  decision: Decision;
  mandate_id: string | null;
  quota_period_start: Date | null;
  confirm_by: Date | null;
  created_at: Date;
}

export function toIntent(row: IntentRow, token?: TokenGrant): Intent {
  return {
    id: row.id,
    walletId: row.wallet_id,
    actorId: row.actor_id,
    merchantId: row.merchant_id,
    amount: { minor: row.amount_minor, currency: row.currency },
    lineItems: row.line_items,
    category: row.category,
    channel: row.channel,
    description: row.description,
    taskId: row.task_id,
    status: row.status,
    decision: row.decision,
    createdAt: iso(row.created_at),
    confirmBy: row.confirm_by ? iso(row.confirm_by) : null,
    ...(token ? { token } : {}),
  };
}

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export async function loadIntent(
  tx: { query<T>(sql: string, params?: unknown[]): Promise<T[]> },
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<IntentRow | undefined> {
  const [row] = await tx.query<IntentRow>(`SELECT * FROM intents WHERE id = $1${options.forUpdate ? ' FOR NO KEY UPDATE' : ''}`, [id]);
  return row;
}
