/**
 * Telling SQLite's "cannot do this right now" failures (full disk, I/O error, lock held too long)
 * apart from bugs and refusals, for every SQLite file of the service: the event store answers them
 * as EventStoreUnavailableError, the HTTP layer as 503 STORE_UNAVAILABLE, background writers retry.
 */

/** SQLite result codes meaning "cannot write right now", as opposed to a bug or a refused append. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM)/;

/** The extended result code of a better-sqlite3 error (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, ...). */
export const sqliteCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

/** True for a SQLite failure that a later retry may not meet (the disk has room again, the lock is free). */
export const isSqliteUnavailableError = (error: unknown): boolean => {
  const code = sqliteCode(error);
  return code !== undefined && UNAVAILABLE_CODES.test(code);
};
