import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

/**
 * The table of recorded answers, one row per key scope (stored as its SHA-256, so the file names no caller):
 * the request hash, the status, when it was recorded (milliseconds since the epoch), and `answer`, the JSON
 * of what a retry is given when the command's events cannot give it: a refusal, or the body of a success
 * that appended nothing of its own. A success answered from its events (`answer` NULL) is replayed from them
 * by the command executor, which recognises the key they carry.
 */
export const ANSWERS_TABLE = 'idempotency_answers';

/** The table before answers were kept in this shape: every response's body as JSON, ISO-8601 times. */
const RESPONSES_TABLE = 'idempotency_responses';

export interface AnswerRow {
  request_hash: string;
  status: number;
  answer: string | null;
}

/**
 * Creates the answers table and brings the records of the earlier shape into it, then drops the old table,
 * in one immediate transaction: several processes opening the same file at once migrate it once. Records
 * already past the retention are not carried over. Old records keep their bodies, so each keeps answering
 * exactly as it did.
 */
export function openAnswersTable(db: Database.Database, cutoffMs: number): void {
  // Records of the single key namespace that came before caller scopes would answer the wrong caller.
  db.exec('DROP TABLE IF EXISTS idempotency_records');
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${ANSWERS_TABLE} (
      scope BLOB PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status INTEGER NOT NULL,
      answer TEXT,
      recorded_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    db.exec(`CREATE INDEX IF NOT EXISTS ${ANSWERS_TABLE}_by_age ON ${ANSWERS_TABLE} (recorded_at)`);
    migrateResponses(db, cutoffMs);
  }).immediate();
}

function migrateResponses(db: Database.Database, cutoffMs: number): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(RESPONSES_TABLE);
  if (!exists) return;
  const insert = db.prepare(`INSERT OR IGNORE INTO ${ANSWERS_TABLE} (scope, request_hash, status, answer, recorded_at) VALUES (?, ?, ?, ?, ?)`);
  // Read whole before writing: the connection runs one statement at a time. Bounded by the retention, and done once.
  const rows = db
    .prepare(`SELECT scope, request_hash, status, body, recorded_at FROM ${RESPONSES_TABLE} WHERE recorded_at >= ?`)
    .all(new Date(cutoffMs).toISOString()) as { scope: Buffer; request_hash: string; status: number; body: string; recorded_at: string }[];
  for (const row of rows) {
    const recordedAt = Date.parse(row.recorded_at);
    if (Number.isFinite(recordedAt)) insert.run(row.scope, row.request_hash, row.status, row.body, recordedAt);
  }
  db.exec(`DROP TABLE ${RESPONSES_TABLE}`);
}

/** Whether the table holds no record at all: then this process's memory holds every record it will find. */
export function answersTableIsEmpty(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM ${ANSWERS_TABLE} LIMIT 1`).get() === undefined;
}

export const digest = (scope: string): Buffer => createHash('sha256').update(scope, 'utf8').digest();
