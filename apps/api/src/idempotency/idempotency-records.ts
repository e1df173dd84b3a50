import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * The first response given to each Idempotency-Key, kept in SQLite so that a retry after a restart gets it
 * again. Successful commands are also recognisable from their events (which carry the key), so these records
 * are what makes refusals and cross-route key reuse answer the same way on a retry.
 *
 * Records are written in batches, one transaction per turn of the event loop, and answered from memory until
 * then: a record lost to a crash before its batch commits is one whose command is still recognised from its
 * events, so the write need not hold up the reply.
 */
/** Wait before writing the pending records again after a failed write (full disk, I/O error). */
export const FLUSH_RETRY_MS = 1000;

export class IdempotencyRecords {
  private readonly pending = new Map<string, { response: StoredResponse; recordedAt: string }>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failingSince: string | undefined;
  private readonly logger = new Logger('IdempotencyRecords');
  private readonly findStatement: Database.Statement<[string], { request_hash: string; status: number; body: string }>;
  private readonly insertStatement: Database.Statement<[string, string, number, string, string]>;

  private constructor(private readonly db: Database.Database) {
    this.findStatement = db.prepare('SELECT request_hash, status, body FROM idempotency_records WHERE idempotency_key = ?');
    this.insertStatement = db.prepare(
      'INSERT OR IGNORE INTO idempotency_records (idempotency_key, request_hash, status, body, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  static open(file: string): IdempotencyRecords {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // A record lost to a power failure is recovered from the events themselves (they carry the key); a process
    // crash loses nothing in WAL mode. So NORMAL here keeps one fsync per command, the event append's.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_records (
      idempotency_key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    return new IdempotencyRecords(db);
  }

  find(key: string): StoredResponse | undefined {
    const pending = this.pending.get(key);
    if (pending) return pending.response;
    const row = this.findStatement.get(key);
    return row && { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) as unknown };
  }

  /**
   * Keeps the first response for a key and returns the one kept. The caller has looked the key up before
   * running the command; two identical requests racing each other both reach here, and the first to arrive wins.
   */
  remember(key: string, response: StoredResponse, recordedAt: string): StoredResponse {
    const first = this.pending.get(key);
    if (first) return first.response;
    this.pending.set(key, { response, recordedAt });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return response;
  }

  /**
   * Writes every pending record in one transaction; a key already stored keeps its first response.
   * A failed write (a full disk, an I/O error) never throws: it runs from a timer, where a throw would end
   * the process. The records stay pending, answered from memory, and the write is tried again later.
   */
  flush(): void {
    this.flushScheduled = false;
    this.retryTimer = undefined;
    if (this.pending.size === 0 || !this.db.open) return;
    const batch = [...this.pending];
    try {
      this.db.transaction(() => {
        for (const [key, { response, recordedAt }] of batch) {
          this.insertStatement.run(key, response.requestHash, response.status, JSON.stringify(response.body), recordedAt);
        }
      })();
    } catch (error) {
      this.failingSince ??= new Date().toISOString();
      this.logger.error(
        `Writing ${batch.length} idempotency record(s) failed; they are kept in memory and written again in ${FLUSH_RETRY_MS} ms: ` +
          (error instanceof Error ? error.message : String(error)),
      );
      // Records arriving meanwhile join the pending ones instead of scheduling writes of their own.
      this.flushScheduled = true;
      this.retryTimer = setTimeout(() => this.flush(), FLUSH_RETRY_MS);
      this.retryTimer.unref();
      return;
    }
    this.failingSince = undefined;
    for (const [key] of batch) this.pending.delete(key);
  }

  /** Since when writing the records has been failing; undefined while writes succeed. */
  get writeFailingSince(): string | undefined {
    return this.failingSince;
  }

  close(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.flush();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.db.close();
  }
}
