import type Database from 'better-sqlite3';
import type { PayoutItemState } from './payout-runs.projection';

export const PAYOUT_RUN_STATES = ['open', 'closed'] as const;
/** `open` while any item is to be sent; `closed` once every item is paid or failed. */
export type PayoutRunState = (typeof PAYOUT_RUN_STATES)[number];

export interface PayoutStateTotal {
  count: number;
  /** Sum of the items' net amounts: what the bank accounts receive. */
  netAmount: number;
}

export interface PayoutRun {
  payoutDate: string;
  state: PayoutRunState;
  items: number;
  /** Taken from the balances. */
  amount: number;
  bankFees: number;
  quickFees: number;
  /** What the bank accounts receive: amount − fees. */
  netAmount: number;
  toSend: PayoutStateTotal;
  paid: PayoutStateTotal;
  failed: PayoutStateTotal;
}

export interface PayoutRunItem {
  withdrawalId: string;
  accountId: string;
  payoutDate: string;
  mode: string;
  /** Taken from the balance. */
  amount: number;
  bankFee: number;
  quickFee: number;
  /** What the bank account receives: amount − bankFee − quickFee. */
  netAmount: number;
  bankAccountId: string;
  bankCode: string;
  state: PayoutItemState;
  transferReference: string | null;
  failureReason: string | null;
  reportedAt: string | null;
  requestedAt: string;
  /** Global position of the event that put it in the run (its request, or its approval): the run's order. */
  queuedPosition: number;
}

interface StoredRun {
  payoutDate: string;
  items: number;
  amount: number;
  bankFees: number;
  quickFees: number;
  netAmount: number;
  toSendCount: number;
  toSendNetAmount: number;
  paidCount: number;
  paidNetAmount: number;
  failedCount: number;
  failedNetAmount: number;
}

const RUN_COLUMNS = `payout_date AS payoutDate, items, amount, bank_fees AS bankFees, quick_fees AS quickFees, net_amount AS netAmount,
       to_send_count AS toSendCount, to_send_net_amount AS toSendNetAmount, paid_count AS paidCount,
       paid_net_amount AS paidNetAmount, failed_count AS failedCount, failed_net_amount AS failedNetAmount`;

const runOf = (row: StoredRun): PayoutRun => ({
  payoutDate: row.payoutDate,
  state: row.toSendCount > 0 ? 'open' : 'closed',
  items: row.items,
  amount: row.amount,
  bankFees: row.bankFees,
  quickFees: row.quickFees,
  netAmount: row.netAmount,
  toSend: { count: row.toSendCount, netAmount: row.toSendNetAmount },
  paid: { count: row.paidCount, netAmount: row.paidNetAmount },
  failed: { count: row.failedCount, netAmount: row.failedNetAmount },
});

export interface PayoutRunFilter {
  state?: PayoutRunState;
  /** Payout dates from this one (inclusive). */
  from?: string;
  /** Payout dates up to this one (inclusive). */
  to?: string;
  /** Payout dates after this one (the key of the last run of the page before). */
  after?: string;
  limit: number;
}

/** Runs in payout date order, the earliest first. */
export function payoutRuns(db: Database.Database, filter: PayoutRunFilter): PayoutRun[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.state === 'open') where.push('to_send_count > 0');
  if (filter.state === 'closed') where.push('to_send_count = 0');
  const bound = (condition: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    values.push(value);
  };
  bound('payout_date >= ?', filter.from);
  bound('payout_date <= ?', filter.to);
  bound('payout_date > ?', filter.after);
  const rows = db
    .prepare(`SELECT ${RUN_COLUMNS} FROM payout_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY payout_date LIMIT ?`)
    .all(...values, filter.limit) as StoredRun[];
  return rows.map(runOf);
}

export function payoutRun(db: Database.Database, payoutDate: string): PayoutRun | undefined {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM payout_runs WHERE payout_date = ?`).get(payoutDate) as StoredRun | undefined;
  return row && runOf(row);
}

const ITEM_COLUMNS = `withdrawal_id AS withdrawalId, account_id AS accountId, payout_date AS payoutDate, mode, amount, bank_fee AS bankFee,
       quick_fee AS quickFee, net_amount AS netAmount, bank_account_id AS bankAccountId, bank_code AS bankCode, state,
       transfer_reference AS transferReference, failure_reason AS failureReason, reported_at AS reportedAt,
       requested_at AS requestedAt, queued_position AS queuedPosition`;

/** A run's items in the order they joined it, after the position `after`, at most `limit`; only those in `state` when given. */
export function payoutRunItems(
  db: Database.Database,
  payoutDate: string,
  page: { after: number; limit: number; state?: PayoutItemState },
): PayoutRunItem[] {
  const stateFilter = page.state === undefined ? `state <> 'in_review'` : 'state = ?';
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS} FROM payout_run_items
        WHERE payout_date = ? AND ${stateFilter} AND queued_position > ?
        ORDER BY queued_position LIMIT ?`,
    )
    .all(payoutDate, ...(page.state === undefined ? [] : [page.state]), page.after, page.limit) as PayoutRunItem[];
}

/** The run item of a withdrawal: its account, for addressing its wallet stream; undefined when it is not in that run. */
export function payoutRunItem(db: Database.Database, payoutDate: string, withdrawalId: string): PayoutRunItem | undefined {
  return db
    .prepare(`SELECT ${ITEM_COLUMNS} FROM payout_run_items WHERE withdrawal_id = ? AND payout_date = ? AND state <> 'in_review'`)
    .get(withdrawalId, payoutDate) as PayoutRunItem | undefined;
}
