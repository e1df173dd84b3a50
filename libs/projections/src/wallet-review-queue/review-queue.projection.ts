import type Database from 'better-sqlite3';
import { isWalletEvent, type WithdrawalReviewReason } from '@escrow/domain/wallet';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const WALLET_REVIEW_QUEUE_PROJECTION = 'wallet-review-queue';

/**
 * The withdrawal review queue (出金審査): withdrawals that screening sent to review and no reviewer
 * has approved or rejected yet. A request for more information keeps the withdrawal in the queue
 * and is counted, with its time, so reviewers see which ones wait for the owner.
 */
export const walletReviewQueueProjection: Projection = {
  name: WALLET_REVIEW_QUEUE_PROJECTION,
  version: 1,
  tables: ['withdrawal_review_queue'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS withdrawal_review_queue (
        withdrawal_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        net_amount INTEGER NOT NULL,
        mode TEXT NOT NULL,
        review_reasons TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        requested_position INTEGER NOT NULL,
        info_requests INTEGER NOT NULL DEFAULT 0,
        last_info_requested_at TEXT
      );
      CREATE INDEX IF NOT EXISTS withdrawal_review_queue_oldest_first ON withdrawal_review_queue (requested_position);
    `);
  },
  prepare(db) {
    const enqueue = db.prepare(
      `INSERT OR IGNORE INTO withdrawal_review_queue
         (withdrawal_id, account_id, amount, net_amount, mode, review_reasons, requested_at, requested_position)
       VALUES (@withdrawalId, @accountId, @amount, @netAmount, @mode, @reviewReasons, @requestedAt, @position)`,
    );
    const recordInfoRequest = db.prepare(
      `UPDATE withdrawal_review_queue SET info_requests = info_requests + 1, last_info_requested_at = ? WHERE withdrawal_id = ? AND account_id = ?`,
    );
    const dequeue = db.prepare(`DELETE FROM withdrawal_review_queue WHERE withdrawal_id = ? AND account_id = ?`);
    return (event: RecordedEvent) => {
      if (!isWalletEvent(event)) return;
      switch (event.type) {
        case 'WithdrawalRequested': {
          const { data } = event;
          if (data.status !== 'in_review') return;
          enqueue.run({
            withdrawalId: data.withdrawalId,
            accountId: data.accountId,
            amount: data.amount,
            netAmount: data.netAmount,
            mode: data.mode,
            reviewReasons: JSON.stringify(data.reviewReasons),
            requestedAt: data.requestedAt,
            position: event.position,
          });
          return;
        }
        case 'WithdrawalInfoRequested': {
          const { data } = event;
          recordInfoRequest.run(data.reviewedAt, data.withdrawalId, data.accountId);
          return;
        }
        case 'WithdrawalApproved':
        case 'WithdrawalRejected': {
          const { data } = event;
          dequeue.run(data.withdrawalId, data.accountId);
          return;
        }
      }
    };
  },
};

export interface ReviewQueueEntry {
  withdrawalId: string;
  accountId: string;
  amount: number;
  netAmount: number;
  mode: string;
  reasons: WithdrawalReviewReason[];
  requestedAt: string;
  infoRequests: number;
  lastInfoRequestedAt: string | null;
}

interface StoredEntry extends Omit<ReviewQueueEntry, 'reasons'> {
  reasons: string;
}

/** Open flagged withdrawals, oldest request first. */
export function reviewQueue(db: Database.Database, options: { limit?: number } = {}): ReviewQueueEntry[] {
  const rows = db
    .prepare(
      `SELECT withdrawal_id AS withdrawalId, account_id AS accountId, amount, net_amount AS netAmount, mode,
              review_reasons AS reasons, requested_at AS requestedAt, info_requests AS infoRequests,
              last_info_requested_at AS lastInfoRequestedAt
         FROM withdrawal_review_queue
        ORDER BY requested_position
        LIMIT ?`,
    )
    .all(options.limit ?? -1) as StoredEntry[];
  return rows.map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as WithdrawalReviewReason[] }));
}
