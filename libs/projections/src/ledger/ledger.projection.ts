import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';
import { normalBalanceOf } from './chart-of-accounts';
import { postingsFor } from './postings';

export const LEDGER_PROJECTION = 'ledger';

/** Accounts whose running totals are kept in memory between events; beyond it the cache starts over. */
const ACCOUNT_CACHE_LIMIT = 100_000;

/** Running totals of one account after its latest posting: debits, credits, balance on its normal side. */
type AccountTotals = [totalDebits: number, totalCredits: number, balance: number];
const NO_POSTINGS_YET: AccountTotals = [0, 0, 0];

/**
 * The double-entry ledger: one transaction per money event (its position, id, type and times) and one
 * posting per account it touches, carrying the account's running totals and balance after it. Any
 * balance as of any position is therefore the account's latest posting at or before that position.
 */
export const ledgerProjection: Projection = {
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

  prepare(db: Database.Database) {
    const insertTransaction = db.prepare<[number, string, string, string, string, string]>(
      'INSERT INTO ledger_transactions (position, event_id, event_type, stream_id, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const latestTotals = db
      .prepare<[string], AccountTotals>(
        'SELECT total_debits, total_credits, balance_after FROM ledger_postings WHERE account = ? ORDER BY position DESC LIMIT 1',
      )
      .raw();
    // SQLite does the sums (integers): previous totals plus this posting, the balance on the account's
    // normal side as previous + (amount on the normal side) − (amount on the other side).
    const insertPosting = db
      .prepare<[number, number, string, number, number, number, number, number, number, number, number, number], AccountTotals>(
        `INSERT INTO ledger_postings (position, line, account, debit, credit, total_debits, total_credits, balance_after)
         VALUES (?, ?, ?, ?, ?, ? + ?, ? + ?, ? + ? - ?)
         RETURNING total_debits, total_credits, balance_after`,
      )
      .raw();
    // Saves a read per posting. It only ever holds committed totals: the runtime prepares the handler
    // afresh (hence an empty cache) after a batch that rolled back.
    const totals = new Map<string, AccountTotals>();

    return (event: RecordedEvent) => {
      const postings = postingsFor(event);
      if (postings.length === 0) return;
      insertTransaction.run(
        event.position,
        event.id,
        event.type,
        event.streamId,
        event.metadata.occurredAt,
        // One format, so that "recorded at or before" compares instants as strings.
        new Date(event.recordedAt).toISOString(),
      );
      for (let line = 0; line < postings.length; line++) {
        const { account, debit, credit } = postings[line];
        const [debits, credits, balance] = totals.get(account) ?? latestTotals.get(account) ?? NO_POSTINGS_YET;
        const [grows, shrinks] = normalBalanceOf(account) === 'debit' ? [debit, credit] : [credit, debit];
        const after = insertPosting.get(event.position, line, account, debit, credit, debits, debit, credits, credit, balance, grows, shrinks)!;
        if (totals.size >= ACCOUNT_CACHE_LIMIT) totals.clear();
        totals.set(account, after);
      }
    };
  },
};
