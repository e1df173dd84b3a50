/**
 * Opening a SQLite file the way every durable component of the service needs it: the event store
 * and the projections' read models (which live in SQLite next to the store).
 */

import Database from 'better-sqlite3';

/**
 * - `FULL` (default): in WAL mode every commit fsyncs the WAL before it returns, so a committed
 *   transaction survives a power loss.
 * - `EXTRA`: FULL plus an fsync of the directory when a journal is created or deleted.
 * - `NORMAL`: fsync only at checkpoints; the database stays consistent but the last commits may be
 *   lost on a power loss (not on a process crash). Only for data that can be rebuilt.
 */
export type SqliteSynchronousMode = 'EXTRA' | 'FULL' | 'NORMAL';

export interface SqliteDatabaseOptions {
  synchronous?: SqliteSynchronousMode;
  /** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const SYNCHRONOUS_MODES: readonly SqliteSynchronousMode[] = ['EXTRA', 'FULL', 'NORMAL'];

/** Opens (creating if needed) a database in WAL mode with durable commits; ':memory:' is allowed. */
export function openSqliteDatabase(file: string, options: SqliteDatabaseOptions = {}): Database.Database {
  const synchronous = options.synchronous ?? 'FULL';
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    throw new RangeError(`synchronous must be one of ${SYNCHRONOUS_MODES.join(', ')}, got ${String(synchronous)}`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be an integer >= 0, got ${busyTimeoutMs}`);
  }
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    // Set first so that waiting for another process (even to switch the journal mode) is bounded.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!db.memory && !db.readonly) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
