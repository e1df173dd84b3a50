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
export class IdempotencyRecords {
  private readonly pending = new Map<string, { response: StoredResponse; recordedAt: string }>();
  private flushScheduled = false;
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

  /** Writes every pending record in one transaction; a key already stored keeps its first response. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0 || !this.db.open) return;
    const batch = [...this.pending];
    this.db.transaction(() => {
      for (const [key, { response, recordedAt }] of batch) {
        this.insertStatement.run(key, response.requestHash, response.status, JSON.stringify(response.body), recordedAt);
      }
    })();
    for (const [key] of batch) this.pending.delete(key);
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
