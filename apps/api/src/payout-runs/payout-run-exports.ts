import { Logger } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { type PayoutItemState, type PayoutRunItem, payoutRunItems } from '@escrow/projections/payout-runs';
import { csvRecord } from '../http/csv';
import type { StreamedBody } from '../http/streamed-body';

/** The columns of a payout run as CSV, one record per item, in the run's order (docs/automation.md, Payout runs). */
export const PAYOUT_RUN_CSV_HEADER = [
  'withdrawal_id',
  'account_id',
  'payout_date',
  'mode',
  'amount',
  'bank_fee',
  'quick_fee',
  'net_amount',
  'bank_account_id',
  'bank_code',
  'state',
  'transfer_reference',
  'failure_reason',
  'reported_at',
  'requested_at',
  'queued_position',
] as const;

export const payoutRunCsvRecord = (item: PayoutRunItem): string =>
  csvRecord([
    item.withdrawalId,
    item.accountId,
    item.payoutDate,
    item.mode,
    item.amount,
    item.bankFee,
    item.quickFee,
    item.netAmount,
    item.bankAccountId,
    item.bankCode,
    item.state,
    item.transferReference,
    item.failureReason,
    item.reportedAt,
    item.requestedAt,
    item.queuedPosition,
  ]);

/** One NDJSON line: the item with the members of the JSON answer's items, in the same order. */
export const payoutRunNdjsonLine = (item: PayoutRunItem): string => JSON.stringify(item) + '\n';

export interface PayoutRunFormat {
  header: string;
  line: (item: PayoutRunItem) => string;
  /** The last, unterminated line of an export cut short: no reader takes the file for a complete one. */
  truncationMarker: string;
}

export const PAYOUT_RUN_CSV: PayoutRunFormat = {
  header: csvRecord(PAYOUT_RUN_CSV_HEADER),
  line: payoutRunCsvRecord,
  truncationMarker: '"truncated: the export was cut short, request it again',
};

export const PAYOUT_RUN_NDJSON: PayoutRunFormat = { header: '', line: payoutRunNdjsonLine, truncationMarker: '{"truncated":true' };

/** Items read from the read model at once: all an export holds in memory. */
const EXPORT_CHUNK = 1000;

const logger = new Logger('PayoutRunExport');

/** Streams a run's items (those in `state` when given) a chunk at a time, each chunk once the socket took the last. */
export async function streamPayoutRun(
  body: StreamedBody,
  db: Database.Database,
  run: { payoutDate: string; state?: PayoutItemState },
  format: PayoutRunFormat,
): Promise<void> {
  let after = 0;
  try {
    if (!(await body.write(format.header))) return;
    for (;;) {
      const items = payoutRunItems(db, run.payoutDate, { after, limit: EXPORT_CHUNK, state: run.state });
      if (items.length === 0) break;
      if (!(await body.write(items.map(format.line).join('')))) return;
      after = items[items.length - 1].queuedPosition;
      if (items.length < EXPORT_CHUNK) break;
    }
  } catch (error) {
    body.abort(format.truncationMarker);
    logger.warn(`A payout run export of ${run.payoutDate} was cut short after position ${after}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  body.end();
}
