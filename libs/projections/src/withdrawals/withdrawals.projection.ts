import type Database from 'better-sqlite3';
import { isWalletEvent, type WalletEvent, type WithdrawalReviewReason, type WithdrawalStatus } from '@escrow/domain/wallet';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const WITHDRAWALS_PROJECTION = 'withdrawals';

type WithdrawalStep = Extract<
  WalletEvent,
  { type: 'WithdrawalApproved' | 'WithdrawalInfoRequested' | 'WithdrawalRejected' | 'WithdrawalPaid' | 'WithdrawalFailed' }
>;

/** Status each withdrawal event leaves the withdrawal in; WithdrawalInfoRequested keeps it in review. */
const STATUS_AFTER: Readonly<Record<WithdrawalStep['type'], WithdrawalStatus>> = {
  WithdrawalApproved: 'scheduled',
  WithdrawalInfoRequested: 'in_review',
  WithdrawalRejected: 'rejected',
  WithdrawalPaid: 'paid',
  WithdrawalFailed: 'failed',
};

const isWithdrawalStep = (event: WalletEvent): event is WithdrawalStep => Object.prototype.hasOwnProperty.call(STATUS_AFTER, event.type);

/**
 * Every withdrawal by id: whose wallet it belongs to and where it stands. Commands that name only a
 * withdrawal id (review, bank transfer reports) are routed to the right wallet stream through it.
 */
export const withdrawalsProjection: Projection = {
  name: WITHDRAWALS_PROJECTION,
  version: 1,
  tables: ['withdrawals'],
  setup(db) {
    db.exec(`
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
      CREATE INDEX IF NOT EXISTS withdrawals_by_account ON withdrawals (account_id, requested_position);
    `);
  },
  prepare(db) {
    const insert = db.prepare<[string, string, number, number, string, string, string, string, number, number]>(
      `INSERT OR IGNORE INTO withdrawals
         (withdrawal_id, account_id, amount, net_amount, mode, status, review_reasons, requested_at, requested_position, updated_position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const updateStatus = db.prepare(`UPDATE withdrawals SET status = ?, updated_position = ? WHERE withdrawal_id = ? AND account_id = ?`);
    return (event: RecordedEvent) => {
      if (!isWalletEvent(event)) return;
      if (event.type === 'WithdrawalRequested') {
        const { data } = event;
        insert.run(
          data.withdrawalId,
          data.accountId,
          data.amount,
          data.netAmount,
          data.mode,
          data.status,
          JSON.stringify(data.reviewReasons),
          data.requestedAt,
          event.position,
          event.position,
        );
        return;
      }
      if (!isWithdrawalStep(event)) return;
      updateStatus.run(STATUS_AFTER[event.type], event.position, event.data.withdrawalId, event.data.accountId);
    };
  },
};

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

const fromStored = (row: StoredRow): WithdrawalRow => ({ ...row, reviewReasons: JSON.parse(row.reviewReasons) as WithdrawalReviewReason[] });

export function findWithdrawal(db: Database.Database, withdrawalId: string): WithdrawalRow | undefined {
  const row = db.prepare(`${SELECT} WHERE withdrawal_id = ?`).get(withdrawalId) as StoredRow | undefined;
  return row && fromStored(row);
}

/** An account's withdrawals, oldest request first. */
export function withdrawalsOfAccount(db: Database.Database, accountId: string): WithdrawalRow[] {
  return (db.prepare(`${SELECT} WHERE account_id = ? ORDER BY requested_position`).all(accountId) as StoredRow[]).map(fromStored);
}
