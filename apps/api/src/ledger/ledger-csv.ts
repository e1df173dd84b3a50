import type { JournalLine } from '@escrow/projections/ledger/journal.queries';
import type { TrialBalance } from '@escrow/projections/ledger/ledger.queries';
import { csvRecord } from '../http/csv';

/** The columns of the journal as CSV, one record per posting. */
export const JOURNAL_CSV_HEADER = [
  'position',
  'line',
  'recorded_at',
  'occurred_at',
  'event_id',
  'event_type',
  'stream_id',
  'account',
  'debit',
  'credit',
  'balance_after',
] as const;

export const journalCsvRecord = (posting: JournalLine): string =>
  csvRecord([
    posting.position,
    posting.line,
    posting.recordedAt,
    posting.occurredAt,
    posting.eventId,
    posting.eventType,
    posting.streamId,
    posting.account,
    posting.debit,
    posting.credit,
    posting.balanceAfter,
  ]);

/** The columns of the trial balance as CSV: every row names the position it is as of. */
export const TRIAL_BALANCE_CSV_HEADER = ['position', 'account', 'normal_balance', 'debits', 'credits', 'balance'] as const;
/** The account cell of the totals row: not an account name (those start with a letter), so it cannot be taken for one. */
export const TOTALS_ROW = '(total)';

export function trialBalanceCsv(balance: TrialBalance): string {
  return [
    csvRecord(TRIAL_BALANCE_CSV_HEADER),
    ...balance.accounts.map((account) =>
      csvRecord([balance.position, account.account, account.normalBalance, account.debits, account.credits, account.balance]),
    ),
    csvRecord([balance.position, TOTALS_ROW, null, balance.totalDebits, balance.totalCredits, null]),
  ].join('');
}
