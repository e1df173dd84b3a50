/**
 * SQLite's own consistency checks, on any SQLite file of the service:
 *
 * - `quick_check`: every page readable and well-formed, every record in range; O(file size), no index
 *   cross-check. Cheap enough to run on every start.
 * - `integrity_check`: the same plus every index checked against its table; slower, for an operator's
 *   `npm run store:check`.
 */

import Database from 'better-sqlite3';
import { sqliteCode } from './sqlite-errors';

export type SqliteIntegrityCheck = 'quick_check' | 'integrity_check';

/**
 * The most of a file the check maps into memory at once. Every mapped page the check reads counts in the
 * process's resident set until the connection closes: mapping a whole million-event log (1.1 GB) took the
 * service to 1.2 GB at start. With this window the check adds at most 64 MiB to it; pages beyond the window
 * are read with read() calls, through a page cache SQLite bounds itself.
 */
export const CHECK_MMAP_BYTES = 64 * 1024 * 1024;

/** Failures that say the file itself is not a sound database, as opposed to "busy" or "no permission". */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * Runs the check on an existing file and returns what SQLite reports wrong, nothing when it is sound.
 * Any failure other than damage (locked for longer than the busy timeout, unreadable) is thrown.
 */
export function checkSqliteFile(file: string, check: SqliteIntegrityCheck, busyTimeoutMs = 5000): string[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // The first pages through a memory map rather than read() calls: faster for a small file, and bounded,
    // so that the check of a large one does not hold it all in the resident set. This connection only reads.
    db.pragma(`mmap_size = ${CHECK_MMAP_BYTES}`);
    const messages = db.pragma(check, { simple: false }) as Array<Record<string, unknown>>;
    const problems = messages.map((row) => String(Object.values(row)[0]));
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  } catch (error) {
    if (!DAMAGE_CODES.test(sqliteCode(error) ?? '')) throw error;
    return [`${sqliteCode(error)}: ${(error as Error).message}`];
  } finally {
    db.close();
  }
}
