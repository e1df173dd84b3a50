import type Database from 'better-sqlite3';
import type { WithdrawalReviewReason } from '@escrow/domain/wallet';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent, remove, update } from '../runtime/row-changes';

export const WALLET_REVIEW_QUEUE_PROJECTION = 'wallet-review-queue';

const QUEUE = 'withdrawal_review_queue';

/** The queue's row of the withdrawal an event names. */
const queued = (data: { withdrawalId: string; accountId: string }) => ({ withdrawal_id: data.withdrawalId, account_id: data.accountId });

/**
 * The withdrawal review queue (出金審査): withdrawals that screening sent to review and no reviewer
 * has approved or rejected yet. A request for more information keeps the withdrawal in the queue
 * and is counted, with its time, so reviewers see which ones wait for the owner; the owner's answer to
 * the latest request is shown with its time, so reviewers see which ones wait for them again.
 */
export const walletReviewQueueProjection = declareProjection({
  name: WALLET_REVIEW_QUEUE_PROJECTION,
  version: 2,
  tables: {
    [QUEUE]: {
      // An event names the withdrawal and its account: one naming another account's withdrawal changes nothing.
      key: ['withdrawal_id', 'account_id'],
      ddl: `
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
          last_info_requested_at TEXT,
          info_provided_at TEXT,
          info_answer TEXT
        );
        CREATE INDEX IF NOT EXISTS withdrawal_review_queue_oldest_first ON withdrawal_review_queue (requested_position);`,
    },
  },
  on: {
    WithdrawalRequested: ({ data, position }) =>
      data.status !== 'in_review'
        ? undefined
        : insertIfAbsent(QUEUE, {
            withdrawal_id: data.withdrawalId,
            account_id: data.accountId,
            amount: data.amount,
            net_amount: data.netAmount,
            mode: data.mode,
            review_reasons: JSON.stringify(data.reviewReasons),
            requested_at: data.requestedAt,
            requested_position: position,
          }),
    // A new request awaits a new answer: the one given to an earlier request no longer answers it.
    WithdrawalInfoRequested: ({ data }) =>
      update(QUEUE, queued(data), { last_info_requested_at: data.reviewedAt, info_provided_at: null, info_answer: null }, { info_requests: 1 }),
    WithdrawalInfoProvided: ({ data }) => update(QUEUE, queued(data), { info_provided_at: data.providedAt, info_answer: data.answer }),
    WithdrawalApproved: ({ data }) => remove(QUEUE, queued(data)),
    WithdrawalRejected: ({ data }) => remove(QUEUE, queued(data)),
  },
});

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
  /** When the owner answered the latest request; null while it awaits the owner, or when none was made. */
  infoProvidedAt: string | null;
  /** The owner's answer to the latest request. */
  infoAnswer: string | null;
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
              last_info_requested_at AS lastInfoRequestedAt, info_provided_at AS infoProvidedAt, info_answer AS infoAnswer
         FROM withdrawal_review_queue
        ORDER BY requested_position
        LIMIT ?`,
    )
    .all(options.limit ?? -1) as StoredEntry[];
  return rows.map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as WithdrawalReviewReason[] }));
}
