import { isSqliteUnavailableError } from '@escrow/event-store/sqlite/sqlite-errors';

/**
 * Whether an error says the storage cannot take the request now (a full disk, an I/O error, a lock held too
 * long) rather than that the request is wrong. The composition root is the one place that knows which
 * storage engines the service runs on.
 */
export const isStorageUnavailable = (error: unknown): boolean => isSqliteUnavailableError(error);
