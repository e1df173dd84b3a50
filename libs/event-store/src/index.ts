export * from './port';
export { DuplicateEventIdError } from './errors';
export { InMemoryEventStore } from './in-memory/in-memory-event-store';
export type { InMemoryEventStoreOptions } from './in-memory/in-memory-event-store';
export {
  SqliteEventStore,
  DEFAULT_MAX_BATCH_APPENDS,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_POLL_INTERVAL_MS,
} from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions, SqliteEventStoreMetrics } from './sqlite/sqlite-event-store';
export { EventStoreDbEventStore } from './eventstoredb';
export type { EventStoreDbEventStoreOptions } from './eventstoredb';
export { openSqliteDatabase, DEFAULT_BUSY_TIMEOUT_MS } from './sqlite/sqlite-database';
export type { SqliteDatabaseOptions, SqliteSynchronousMode } from './sqlite/sqlite-database';
export { EVENT_STORE_SCHEMA_VERSION } from './sqlite/schema';
export { CatchUpSubscription } from './catch-up-subscription';
export { DEFAULT_SUBSCRIPTION_BATCH_SIZE } from './read-options';
export type { CatchUpSubscriptionOptions } from './catch-up-subscription';
export { assertValidAppend, expectedRevisionViolation, NO_STREAM_REVISION } from './append-rules';
