import type { RecordedEvent } from '@escrow/event-store/port';
import { declareProjection } from '../runtime/declared-projection';
import { lastValueMemo } from '../runtime/last-value-memo';
import type { RowReader } from '../runtime/row-change-buffer';
import { insert, type RowChange, type SqlValue } from '../runtime/row-changes';
import { normalBalanceOf } from './chart-of-accounts';
import { MONEY_EVENT_TYPES, postingsFor } from './postings';

export const LEDGER_PROJECTION = 'ledger';

const TRANSACTIONS = 'ledger_transactions';
const POSTINGS = 'ledger_postings';

// One format, so that "recorded at or before" compares instants as strings; events of one append share it.
const recordedAtOf = lastValueMemo((recordedAt: string) => new Date(recordedAt).toISOString());

/** An account's total so far from its latest posting (integers read exactly, as bigint), zero before its first. */
const totalOf = (value: SqlValue | undefined): bigint => (value === undefined || value === null ? 0n : BigInt(value));

/**
 * The transaction row and the postings of one money event. Each posting carries the account's running
 * totals after it, added exactly (BigInt) to those of the account's latest posting; SQLite's INTEGER column
 * refuses a total beyond 64 bits rather than wrapping it.
 */
function post(event: RecordedEvent, read: RowReader): RowChange[] {
  const postings = postingsFor(event);
  if (postings.length === 0) return [];
  const changes: RowChange[] = [
    insert(TRANSACTIONS, {
      position: event.position,
      event_id: event.id,
      event_type: event.type,
      stream_id: event.streamId,
      occurred_at: event.metadata.occurredAt,
      recorded_at: recordedAtOf(event.recordedAt),
    }),
  ];
  for (let line = 0; line < postings.length; line++) {
    const { account, debit, credit } = postings[line];
    const before = read.latest(POSTINGS, { account });
    const debited = BigInt(debit);
    const credited = BigInt(credit);
    const change = normalBalanceOf(account) === 'debit' ? debited - credited : credited - debited;
    changes.push(
      insert(POSTINGS, {
        position: event.position,
        line,
        account,
        debit,
        credit,
        total_debits: totalOf(before?.total_debits) + debited,
        total_credits: totalOf(before?.total_credits) + credited,
        balance_after: totalOf(before?.balance_after) + change,
      }),
    );
  }
  return changes;
}

export const ledgerProjection = declareProjection({
  name: LEDGER_PROJECTION,
  version: 1,
  tables: {
    [TRANSACTIONS]: {
      ddl: `
        CREATE TABLE IF NOT EXISTS ledger_transactions (
          position    INTEGER PRIMARY KEY,
          event_id    TEXT    NOT NULL,
          event_type  TEXT    NOT NULL,
          stream_id   TEXT    NOT NULL,
          occurred_at TEXT    NOT NULL,
          recorded_at TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS ledger_transactions_by_recorded_at ON ledger_transactions (recorded_at, position);`,
    },
    [POSTINGS]: {
      // Postings are read back only as each account's latest: the buffer answers from what it wrote.
      latest: { by: ['account'], order: 'position' },
      ddl: `
        CREATE TABLE IF NOT EXISTS ledger_postings (
          position      INTEGER NOT NULL,
          line          INTEGER NOT NULL,
          account       TEXT    NOT NULL,
          debit         INTEGER NOT NULL CHECK (debit >= 0),
          credit        INTEGER NOT NULL CHECK (credit >= 0),
          total_debits  INTEGER NOT NULL,
          total_credits INTEGER NOT NULL,
          balance_after INTEGER NOT NULL,
          PRIMARY KEY (position, line)
        ) STRICT, WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ledger_postings_by_account ON ledger_postings (account, position);`,
    },
  },
  on: Object.fromEntries(MONEY_EVENT_TYPES.map((type) => [type, post])),
});
