import type Database from 'better-sqlite3';

/** One posting of the journal: a line of a money event, with the account's balance right after it. */
export interface JournalLine {
  position: number;
  /** The posting's index within its event, from 0. */
  line: number;
  recordedAt: string;
  occurredAt: string;
  eventId: string;
  eventType: string;
  streamId: string;
  account: string;
  debit: number;
  credit: number;
  /** The account's balance after this posting, on its normal side. */
  balanceAfter: number;
}

/** Where a read of the journal resumes: strictly after this posting. */
export interface JournalKey {
  position: number;
  line: number;
}

type JournalRow = [number, number, string, string, string, string, string, string, number, number, number];

/**
 * The journal: every posting of the ledger in (position, line) order. Read in bounded chunks by key, each chunk
 * iterated to its end at once: an iterator left open across a wait would hold the read-model connection, which
 * the projections write through.
 */
export class JournalQueries {
  private statement: Database.Statement<[number, number, number, number], JournalRow> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** At most `limit` postings after `after`, of events up to position `through`. */
  chunk(after: JournalKey, through: number, limit: number): JournalLine[] {
    this.statement ??= this.db
      .prepare<[number, number, number, number], JournalRow>(
        `SELECT p.position, p.line, t.recorded_at, t.occurred_at, t.event_id, t.event_type, t.stream_id, p.account,
                p.debit, p.credit, p.balance_after
         FROM ledger_postings p JOIN ledger_transactions t ON t.position = p.position
         WHERE (p.position, p.line) > (?, ?) AND p.position <= ?
         ORDER BY p.position, p.line LIMIT ?`,
      )
      .raw();
    const lines: JournalLine[] = [];
    for (const row of this.statement.iterate(after.position, after.line, through, limit)) {
      const [position, line, recordedAt, occurredAt, eventId, eventType, streamId, account, debit, credit, balanceAfter] = row;
      lines.push({ position, line, recordedAt, occurredAt, eventId, eventType, streamId, account, debit, credit, balanceAfter });
    }
    return lines;
  }
}
