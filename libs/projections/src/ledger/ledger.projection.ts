import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import { lastValueMemo } from '../batching/last-value-memo';
import { BufferedInsert } from '../batching/buffered-insert';
import { batchingProjection, type Projection, type ProjectionBatch } from '../projection';
import { normalBalanceOf } from './chart-of-accounts';
import { postingsFor } from './postings';

export const LEDGER_PROJECTION = 'ledger';

/** Accounts whose running totals are kept in memory between events; beyond it the cache starts over. */
const ACCOUNT_CACHE_LIMIT = 100_000;

/**
 * Running totals of one account after its latest posting: debits, credits, balance on its normal side.
 * BigInt: exact integer yen whatever the size, computed here rather than by SQLite so that a posting is one
 * plain INSERT (a statement returning the totals it computed costs as much again); SQLite's INTEGER column
 * refuses a total beyond 64 bits rather than wrapping it.
 */
type AccountTotals = readonly [totalDebits: bigint, totalCredits: bigint, balance: bigint];

const NO_POSTINGS_YET: AccountTotals = [0n, 0n, 0n];

function totalsAfter([debits, credits, balance]: AccountTotals, account: string, debit: number, credit: number): AccountTotals {
  const debited = BigInt(debit);
  const credited = BigInt(credit);
  const change = normalBalanceOf(account) === 'debit' ? debited - credited : credited - debited;
  return [debits + debited, credits + credited, balance + change];
}

export const ledgerProjection: Projection = batchingProjection({
  name: LEDGER_PROJECTION,
  version: 1,
  tables: ['ledger_transactions', 'ledger_postings'],

  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ledger_transactions (
        position    INTEGER PRIMARY KEY,
        event_id    TEXT    NOT NULL,
        event_type  TEXT    NOT NULL,
        stream_id   TEXT    NOT NULL,
        occurred_at TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS ledger_transactions_by_recorded_at ON ledger_transactions (recorded_at, position);

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
      CREATE UNIQUE INDEX IF NOT EXISTS ledger_postings_by_account ON ledger_postings (account, position);
    `);
  },

  prepareBatch(db: Database.Database): ProjectionBatch {
    const transactions = new BufferedInsert(
      db,
      'INSERT INTO ledger_transactions (position, event_id, event_type, stream_id, occurred_at, recorded_at)',
      6,
    );
    const postingRows = new BufferedInsert(
      db,
      'INSERT INTO ledger_postings (position, line, account, debit, credit, total_debits, total_credits, balance_after)',
      8,
    );
    const latestTotals = db
      .prepare<[string], AccountTotals>(
        'SELECT total_debits, total_credits, balance_after FROM ledger_postings WHERE account = ? ORDER BY position DESC LIMIT 1',
      )
      .raw()
      .safeIntegers(true);
    // Every account's totals after its latest posting, written or still buffered, so that no posting has to
    // read the one before it. Cleared when it grows too large, from then on read again; the runtime prepares
    // the handler afresh (hence an empty cache) after a batch that rolled back.
    const totals = new Map<string, AccountTotals>();
    // Prepared on a ledger without postings (a rebuild), the cache knows every account until it is first
    // cleared: an account it does not hold has no posting yet, and nothing needs reading.
    let cacheHoldsEveryAccount = db.prepare('SELECT 1 FROM ledger_postings LIMIT 1').get() === undefined;
    const totalsBefore = (account: string): AccountTotals => {
      const cached = totals.get(account);
      if (cached !== undefined) return cached;
      if (cacheHoldsEveryAccount) return NO_POSTINGS_YET;
      // Reads the table: what is buffered must be there first.
      postingRows.flush();
      return latestTotals.get(account) ?? NO_POSTINGS_YET;
    };
    const remember = (account: string, after: AccountTotals) => {
      if (totals.size >= ACCOUNT_CACHE_LIMIT && !totals.has(account)) {
        totals.clear();
        cacheHoldsEveryAccount = false;
      }
      totals.set(account, after);
    };
    const recordedAtOf = lastValueMemo((recordedAt: string) => new Date(recordedAt).toISOString());
    return {
      apply(event: RecordedEvent) {
        const postings = postingsFor(event);
        if (postings.length === 0) return;
        // One format, so that "recorded at or before" compares instants as strings.
        transactions.add([event.position, event.id, event.type, event.streamId, event.metadata.occurredAt, recordedAtOf(event.recordedAt)]);
        for (let line = 0; line < postings.length; line++) {
          const { account, debit, credit } = postings[line];
          const after = totalsAfter(totalsBefore(account), account, debit, credit);
          postingRows.add([event.position, line, account, debit, credit, after[0], after[1], after[2]]);
          remember(account, after);
        }
      },
      flush() {
        transactions.flush();
        postingRows.flush();
      },
    };
  },
});
