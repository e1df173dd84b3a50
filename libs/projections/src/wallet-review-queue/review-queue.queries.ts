import type Database from 'better-sqlite3';
import type { WithdrawalReviewReason } from '@escrow/domain/wallet';
import type { ReviewQueueEntry } from './review-queue.projection';

/** An open flagged withdrawal with the global position of its request: the queue's order and paging key. */
export interface ReviewQueueLine extends ReviewQueueEntry {
  requestedPosition: number;
}

interface StoredLine extends Omit<ReviewQueueLine, 'reasons'> {
  reasons: string;
}

/** Open flagged withdrawals requested after the position `after`, oldest first, at most `limit`. */
export function reviewQueueAfter(db: Database.Database, page: { after: number; limit: number }): ReviewQueueLine[] {
  const rows = db
    .prepare<[number, number], StoredLine>(
      `SELECT withdrawal_id AS withdrawalId, account_id AS accountId, amount, net_amount AS netAmount, mode,
              review_reasons AS reasons, requested_at AS requestedAt, requested_position AS requestedPosition,
              info_requests AS infoRequests, last_info_requested_at AS lastInfoRequestedAt,
              info_provided_at AS infoProvidedAt, info_answer AS infoAnswer
         FROM withdrawal_review_queue
        WHERE requested_position > ?
        ORDER BY requested_position
        LIMIT ?`,
    )
    .all(page.after, page.limit);
  return rows.map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as WithdrawalReviewReason[] }));
}
