import type Database from 'better-sqlite3';
import type { WithdrawalReviewReason, WithdrawalStatus } from '@escrow/domain/wallet';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent, update } from '../runtime/row-changes';

export const WITHDRAWALS_PROJECTION = 'withdrawals';

const WITHDRAWALS = 'withdrawals';

/** The status a withdrawal step leaves the withdrawal in. */
const stepTo =
  (status: WithdrawalStatus) =>
  ({ data, position }: { data: { withdrawalId: string; accountId: string }; position: number }) =>
    update(WITHDRAWALS, { withdrawal_id: data.withdrawalId, account_id: data.accountId }, { status, updated_position: position });

/**
 * Every withdrawal by id: whose wallet it belongs to and where it stands. Commands that name only a
 * withdrawal id (review, bank transfer reports) are routed to the right wallet stream through it.
 */
export const withdrawalsProjection = declareProjection({
  name: WITHDRAWALS_PROJECTION,
  version: 1,
  tables: {
    [WITHDRAWALS]: {
      // An event names the withdrawal and its account: one naming another account's withdrawal changes nothing.
      key: ['withdrawal_id', 'account_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS withdrawals (
          withdrawal_id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL,
          amount INTEGER NOT NULL,
          net_amount INTEGER NOT NULL,
          mode TEXT NOT NULL,
          status TEXT NOT NULL,
          review_reasons TEXT NOT NULL,
          requested_at TEXT NOT NULL,
          requested_position INTEGER NOT NULL,
          updated_position INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS withdrawals_by_account ON withdrawals (account_id, requested_position);`,
    },
  },
  on: {
    WithdrawalRequested: ({ data, position }) =>
      insertIfAbsent(WITHDRAWALS, {
        withdrawal_id: data.withdrawalId,
        account_id: data.accountId,
        amount: data.amount,
        net_amount: data.netAmount,
        mode: data.mode,
        status: data.status,
        review_reasons: JSON.stringify(data.reviewReasons),
        requested_at: data.requestedAt,
        requested_position: position,
        updated_position: position,
      }),
    // WithdrawalInfoRequested keeps the withdrawal in review.
    WithdrawalApproved: stepTo('scheduled'),
    WithdrawalInfoRequested: stepTo('in_review'),
    WithdrawalRejected: stepTo('rejected'),
    WithdrawalPaid: stepTo('paid'),
    WithdrawalFailed: stepTo('failed'),
  },
});

export interface WithdrawalRow {
  withdrawalId: string;
  accountId: string;
  amount: number;
  netAmount: number;
  mode: string;
  status: WithdrawalStatus;
  reviewReasons: WithdrawalReviewReason[];
  requestedAt: string;
  /** Global position of the event that last changed it. */
  position: number;
}

interface StoredRow extends Omit<WithdrawalRow, 'reviewReasons'> {
  reviewReasons: string;
}

const SELECT = `SELECT withdrawal_id AS withdrawalId, account_id AS accountId, amount, net_amount AS netAmount, mode, status,
                       review_reasons AS reviewReasons, requested_at AS requestedAt, updated_position AS position
                  FROM withdrawals`;

const fromStored = (row: StoredRow): WithdrawalRow => ({
  ...row,
  reviewReasons: JSON.parse(row.reviewReasons) as WithdrawalReviewReason[],
});

export function findWithdrawal(db: Database.Database, withdrawalId: string): WithdrawalRow | undefined {
  const row = db.prepare(`${SELECT} WHERE withdrawal_id = ?`).get(withdrawalId) as StoredRow | undefined;
  return row && fromStored(row);
}

/** An account's withdrawals, oldest request first. */
export function withdrawalsOfAccount(db: Database.Database, accountId: string): WithdrawalRow[] {
  return (db.prepare(`${SELECT} WHERE account_id = ? ORDER BY requested_position`).all(accountId) as StoredRow[]).map(fromStored);
}
