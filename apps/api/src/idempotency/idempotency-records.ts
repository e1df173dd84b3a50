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
 */
export class IdempotencyRecords {
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
    const row = this.findStatement.get(key);
    return row && { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) as unknown };
  }

  /** Keeps the first response for a key; a later one for the same key is ignored. Returns the one kept. */
  remember(key: string, response: StoredResponse, recordedAt: string): StoredResponse {
    this.insertStatement.run(key, response.requestHash, response.status, JSON.stringify(response.body), recordedAt);
    return this.find(key) ?? response;
  }

  close(): void {
    this.db.close();
  }
}
