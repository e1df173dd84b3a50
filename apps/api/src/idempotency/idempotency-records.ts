import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { systemClock } from '@escrow/clock';
import { MIN_IDEMPOTENCY_RETENTION_HOURS } from '../config/app-config';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Wait before writing the pending records again after a failed write (full disk, I/O error). */
export const FLUSH_RETRY_MS = 1000;

/**
 * The first response given to each Idempotency-Key, kept in SQLite so that a retry after a restart gets it
 * again. Successful commands are also recognisable from their events (which carry the key), so these records
 * are what makes refusals and cross-route key reuse answer the same way on a retry.
 *
 * Records are written in batches, one transaction per turn of the event loop, and answered from memory until
 * then: a record lost to a crash before its batch commits is one whose command is still recognised from its
 * events, so the write need not hold up the reply.
 *
 * A record belongs to its caller: it is found by the key's scope (calling service, actor and key), stored
 * as a digest, so no caller can read or block another's retries. Records are kept `retentionHours` (at
 * least MIN_IDEMPOTENCY_RETENTION_HOURS, 24) and then pruned, at open and every hour.
 */
export class IdempotencyRecords {
  private readonly pending = new Map<string, { response: StoredResponse; recordedAt: string }>();
  private flushScheduled = false;
  private readonly findStatement: Database.Statement<[Buffer, string], { request_hash: string; status: number; body: string }>;
  private readonly insertStatement: Database.Statement<[Buffer, string, number, string, string]>;
  private readonly pruneStatement: Database.Statement<[string]>;
  private readonly pruneTimer: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private failingSince: string | undefined;
  private readonly logger = new Logger('IdempotencyRecords');

  private constructor(
    private readonly db: Database.Database,
    private readonly retentionMs: number,
    private readonly clock: () => Date,
  ) {
    this.findStatement = db.prepare('SELECT request_hash, status, body FROM idempotency_responses WHERE scope = ? AND recorded_at >= ?');
    this.insertStatement = db.prepare(
      'INSERT OR IGNORE INTO idempotency_responses (scope, request_hash, status, body, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.pruneStatement = db.prepare('DELETE FROM idempotency_responses WHERE recorded_at < ?');
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  static open(file: string, options: { retentionHours: number; clock?: () => Date }): IdempotencyRecords {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // A record lost to a power failure is recovered from the events themselves (they carry the key); a process
    // crash loses nothing in WAL mode. So NORMAL here keeps one fsync per command, the event append's.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Records of the single key namespace that came before caller scopes would answer the wrong caller.
    db.exec('DROP TABLE IF EXISTS idempotency_records');
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_responses (
      scope BLOB PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    db.exec('CREATE INDEX IF NOT EXISTS idempotency_responses_by_age ON idempotency_responses (recorded_at)');
    if (!(options.retentionHours >= MIN_IDEMPOTENCY_RETENTION_HOURS)) {
      throw new RangeError(`retentionHours must be at least ${MIN_IDEMPOTENCY_RETENTION_HOURS}, got ${options.retentionHours}`);
    }
    return new IdempotencyRecords(db, options.retentionHours * 3_600_000, options.clock ?? systemClock.now);
  }

  /** The response first given to a key in its caller's scope, if it was recorded within the retention. */
  find(scope: string): StoredResponse | undefined {
    const pending = this.pending.get(scope);
    if (pending) return pending.response;
    const row = this.findStatement.get(digest(scope), this.cutoff());
    return row && { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) as unknown };
  }

  /** Deletes the records older than the retention; returns how many. */
  prune(): number {
    if (!this.db.open) return 0;
    return this.pruneStatement.run(this.cutoff()).changes;
  }

  private cutoff(): string {
    return new Date(this.clock().getTime() - this.retentionMs).toISOString();
  }

  /**
   * Keeps the first response for a key and returns the one kept. The caller has looked the key up before
   * running the command; two identical requests racing each other both reach here, and the first to arrive wins.
   */
  remember(scope: string, response: StoredResponse, recordedAt: string): StoredResponse {
    const first = this.pending.get(scope);
    if (first) return first.response;
    this.pending.set(scope, { response, recordedAt });
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
        for (const [scope, { response, recordedAt }] of batch) {
          this.insertStatement.run(digest(scope), response.requestHash, response.status, JSON.stringify(response.body), recordedAt);
        }
      })();
    } catch (error) {
      this.failingSince ??= this.clock().toISOString();
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
    clearInterval(this.pruneTimer);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.flush();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.db.close();
  }
}

const PRUNE_INTERVAL_MS = 3_600_000;

const digest = (scope: string): Buffer => createHash('sha256').update(scope, 'utf8').digest();
