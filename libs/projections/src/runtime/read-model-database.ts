/**
 * The read-model database: one SQLite file next to the event store, holding every projection's tables
 * and the checkpoints that say how far each has read the log.
 */

import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteDatabase, type SqliteSynchronousMode } from '@escrow/event-store/sqlite/sqlite-database';

export const READ_MODEL_DATABASE_FILE = 'read-models.sqlite';

export const readModelDatabaseFile = (dataDir: string): string => join(dataDir, READ_MODEL_DATABASE_FILE);

export interface ReadModelDatabaseOptions {
  /**
   * `NORMAL` by default. A checkpoint is committed in the same transaction as the rows it covers, so a
   * power loss can only roll both back together, to an earlier consistent point from which the log is
   * re-applied; nothing is lost that the event store does not still hold. FULL would buy nothing but an
   * fsync per batch.
   */
  synchronous?: SqliteSynchronousMode;
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) a read-model database in WAL mode; ':memory:' is allowed. */
export function openReadModelDatabase(file: string, options: ReadModelDatabaseOptions = {}): Database.Database {
  const db = openSqliteDatabase(file, { synchronous: options.synchronous ?? 'NORMAL', busyTimeoutMs: options.busyTimeoutMs });
  try {
    // Catch-up writes big batches; a larger page cache keeps the hot indexes in memory.
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
