import type { WithdrawalAmounts } from '@escrow/domain/wallet';
import { declareProjection, type RecordedEventOf } from '../runtime/declared-projection';
import type { RowReader } from '../runtime/row-change-buffer';
import { type RowChange, add, insertIfAbsent, remove, update, upsert } from '../runtime/row-changes';

export const PAYOUT_RUNS_PROJECTION = 'payout-runs';

export const PAYOUT_RUNS = 'payout_runs';
export const PAYOUT_RUN_ITEMS = 'payout_run_items';

/**
 * Where a withdrawal stands for the payments gateway: `in_review` is not in any run yet (support has not
 * approved it); `to_send` is in its payout date's run, waiting for the transfer; `paid` and `failed` are the
 * gateway's reports.
 */
export const PAYOUT_ITEM_STATES = ['to_send', 'paid', 'failed'] as const;
export type PayoutItemState = (typeof PAYOUT_ITEM_STATES)[number];
const IN_REVIEW = 'in_review';

/** The item an event names: withdrawal and account, so an event naming another account's withdrawal changes nothing. */
const itemKey = (data: { withdrawalId: string; accountId: string }) => ({ withdrawal_id: data.withdrawalId, account_id: data.accountId });

const itemState = (read: RowReader, data: { withdrawalId: string; accountId: string }) => {
  const [row] = read.rows(PAYOUT_RUN_ITEMS, itemKey(data));
  return row === undefined ? undefined : { state: String(row.state), payoutDate: String(row.payout_date) };
};

/** A withdrawal joins its payout date's run: the run is created with its first item. */
const joinRun = (payoutDate: string, amounts: WithdrawalAmounts): RowChange =>
  upsert(PAYOUT_RUNS, { payout_date: payoutDate }, {
    add: {
      items: 1,
      amount: amounts.amount,
      bank_fees: amounts.bankFee,
      quick_fees: amounts.quickFee,
      net_amount: amounts.netAmount,
      to_send_count: 1,
      to_send_net_amount: amounts.netAmount,
    },
  });

/** The gateway's report moves an item (and its net amount) from `to_send` to `paid` or `failed` in its run. */
function reported(
  event: RecordedEventOf<'WithdrawalPaid'> | RecordedEventOf<'WithdrawalFailed'>,
  read: RowReader,
  outcome: 'paid' | 'failed',
  details: { transfer_reference: string | null; failure_reason: string | null; reported_at: string },
): RowChange[] | undefined {
  const { data, position } = event;
  const item = itemState(read, data);
  if (item?.state !== 'to_send') return undefined;
  return [
    update(PAYOUT_RUN_ITEMS, itemKey(data), { state: outcome, ...details, updated_position: position }),
    add(PAYOUT_RUNS, { payout_date: item.payoutDate }, {
      to_send_count: -1, to_send_net_amount: -data.netAmount, [`${outcome}_count`]: 1, [`${outcome}_net_amount`]: data.netAmount,
    }),
  ];
}

/**
 * Payout runs (振込予定): every withdrawal due to be sent, grouped by its payout date (a Tokyo calendar date),
 * standard and quick alike, each item with its mode. A withdrawal joins its run when it is scheduled: at its
 * request when no review reason applies, at its approval otherwise (on the payout date the approval set). A
 * withdrawal in review waits outside every run, and a rejected one never enters one. The gateway's paid and
 * failed reports close the items; a run with no item left to send is closed.
 */
export const payoutRunsProjection = declareProjection({
  name: PAYOUT_RUNS_PROJECTION,
  version: 1,
  tables: {
    [PAYOUT_RUNS]: {
      key: ['payout_date'],
      ddl: `
        CREATE TABLE IF NOT EXISTS payout_runs (
          payout_date TEXT PRIMARY KEY,
          items INTEGER NOT NULL DEFAULT 0,
          amount INTEGER NOT NULL DEFAULT 0,
          bank_fees INTEGER NOT NULL DEFAULT 0,
          quick_fees INTEGER NOT NULL DEFAULT 0,
          net_amount INTEGER NOT NULL DEFAULT 0,
          to_send_count INTEGER NOT NULL DEFAULT 0,
          to_send_net_amount INTEGER NOT NULL DEFAULT 0,
          paid_count INTEGER NOT NULL DEFAULT 0,
          paid_net_amount INTEGER NOT NULL DEFAULT 0,
          failed_count INTEGER NOT NULL DEFAULT 0,
          failed_net_amount INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS payout_runs_open ON payout_runs (to_send_count, payout_date);`,
    },
    [PAYOUT_RUN_ITEMS]: {
      key: ['withdrawal_id', 'account_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS payout_run_items (
          withdrawal_id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL,
          payout_date TEXT NOT NULL,
          mode TEXT NOT NULL,
          amount INTEGER NOT NULL,
          bank_fee INTEGER NOT NULL,
          quick_fee INTEGER NOT NULL,
          net_amount INTEGER NOT NULL,
          bank_account_id TEXT NOT NULL,
          bank_code TEXT NOT NULL,
          state TEXT NOT NULL,
          transfer_reference TEXT,
          failure_reason TEXT,
          reported_at TEXT,
          requested_at TEXT NOT NULL,
          queued_position INTEGER NOT NULL,
          updated_position INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS payout_run_items_by_run ON payout_run_items (payout_date, queued_position);`,
    },
  },
  on: {
    WithdrawalRequested: ({ data, position }) => {
      const scheduled = data.status === 'scheduled';
      const item = insertIfAbsent(PAYOUT_RUN_ITEMS, {
        withdrawal_id: data.withdrawalId,
        account_id: data.accountId,
        payout_date: data.payoutDate,
        mode: data.mode,
        amount: data.amount,
        bank_fee: data.bankFee,
        quick_fee: data.quickFee,
        net_amount: data.netAmount,
        bank_account_id: data.bankAccountId,
        bank_code: data.bankCode,
        state: scheduled ? 'to_send' : IN_REVIEW,
        requested_at: data.requestedAt,
        queued_position: position,
        updated_position: position,
      });
      return scheduled ? [item, joinRun(data.payoutDate, data)] : item;
    },
    // A request for more information keeps the withdrawal in review: nothing changes here.
    WithdrawalApproved: ({ data, position }, read) => {
      if (itemState(read, data)?.state !== IN_REVIEW) return undefined;
      return [
        update(PAYOUT_RUN_ITEMS, itemKey(data), { state: 'to_send', payout_date: data.payoutDate, queued_position: position, updated_position: position }),
        joinRun(data.payoutDate, data),
      ];
    },
    WithdrawalRejected: ({ data }, read) => (itemState(read, data)?.state === IN_REVIEW ? remove(PAYOUT_RUN_ITEMS, itemKey(data)) : undefined),
    WithdrawalPaid: (event, read) =>
      reported(event, read, 'paid', { transfer_reference: event.data.transferReference ?? null, failure_reason: null, reported_at: event.data.paidAt }),
    WithdrawalFailed: (event, read) =>
      reported(event, read, 'failed', { transfer_reference: null, failure_reason: event.data.reason, reported_at: event.data.failedAt }),
  },
});
