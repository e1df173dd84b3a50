/**
 * The embedded event store: one SQLite file, WAL mode, durable commits and group commit.
 *
 * Writes: `append` validates and serialises on the caller's tick, then queues. The queue is flushed
 * on the next turn of the event loop (setImmediate) in ONE `BEGIN IMMEDIATE` transaction: each queued
 * append, in arrival order, checks its expected revision against the state including the earlier
 * appends of the same batch and is written, or fails alone. Promises settle only after COMMIT
 * returned, i.e. after the WAL was fsynced (synchronous=FULL). Appends made while a batch is being
 * settled go to the next batch, so under load one fsync carries many appends.
 *
 * Reads go through the same connection with prepared statements; better-sqlite3 is synchronous, so
 * a read never observes a half-written batch.
 */

import { systemClock } from '@escrow/clock';
import type Database from 'better-sqlite3';
import { assertValidAppend, expectedRevisionViolation, NO_STREAM_REVISION } from '../append-rules';
import { CatchUpSubscriptions } from '../catch-up-subscription';
import { DuplicateEventIdError } from '../errors';
import {
  AppendResult,
  CommitObserver,
  EventStore,
  EventStoreUnavailableError,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../port';
import { positiveInteger, resolveReadAllOptions, resolveReadStreamOptions } from '../read-options';
import { EVENT_COLUMNS, EventRow, readEvents } from './event-rows';
import { migrateEventStoreSchema } from './schema';
import { openSqliteDatabase, SqliteDatabaseOptions } from './sqlite-database';
import { isSqliteUnavailableError, sqliteCode } from './sqlite-errors';
import { prepareRecordedHeadUpdate, readStoreIdentity } from './store-metadata';

export interface SqliteEventStoreOptions extends Omit<SqliteDatabaseOptions, 'readonly'> {
  /** Path of the database file, or ':memory:'. */
  file: string;
  /** How often a live subscription looks for events appended by other processes sharing the file. */
  pollIntervalMs?: number;
  /** Most appends committed in one transaction. */
  maxBatchAppends?: number;
  /** Most events committed in one transaction (a single larger append still gets its own). */
  maxBatchEvents?: number;
  /** Source of `recordedAt`; the system clock by default. */
  clock?: () => Date;
}

export interface SqliteEventStoreMetrics {
  /** Write transactions committed (one per flushed batch). */
  committedTransactions: number;
  committedAppends: number;
  committedEvents: number;
  /** Appends refused by their own check (expected revision, duplicate id) inside a committed batch. */
  refusedAppends: number;
  /** Batches whose transaction failed as a whole; every append in them was rejected. */
  failedTransactions: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 200;
export const DEFAULT_MAX_BATCH_APPENDS = 1000;
export const DEFAULT_MAX_BATCH_EVENTS = 10_000;

interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
  /** Outcome decided inside the batch transaction; only acted upon once it has committed. */
  result: AppendResult | undefined;
  refusal: Error | undefined;
}

export class SqliteEventStore implements EventStore {
  private readonly maxBatchAppends: number;
  private readonly maxBatchEvents: number;
  private readonly clock: () => Date;

  private readonly selectStreamRevision: Database.Statement<[string], number>;
  private readonly insertEvent: Database.Statement<[string, number, string, string, string, string, string]>;
  private readonly upsertStream: Database.Statement<[string, number]>;
  private readonly selectStreamOfEventId: Database.Statement<[string], string>;
  private readonly selectAllAfter: Database.Statement<[number, number], EventRow>;
  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectHeadPosition: Database.Statement<[], number>;
  private readonly selectOne: Database.Statement<[], number>;
  private readonly updateRecordedHead: Database.Statement<[number]>;
  private readonly id: string;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[], recordedAt: string) => void>;
  private readonly writeEventsInSavepoint: Database.Transaction<(append: PendingAppend, actual: number, recordedAt: string) => AppendResult>;

  private queue: PendingAppend[] = [];
  private flushHandle: NodeJS.Immediate | undefined;
  private readonly subscriptions: CatchUpSubscriptions;
  private closing = false;
  private failingSince: string | undefined;
  private readonly commitObservers: CommitObserver[] = [];
  private readonly counters: SqliteEventStoreMetrics = {
    committedTransactions: 0,
    committedAppends: 0,
    committedEvents: 0,
    refusedAppends: 0,
    failedTransactions: 0,
  };

  /** Opens or creates the store file and brings its schema up to date. */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const db = openSqliteDatabase(options.file, {
      synchronous: options.synchronous,
      busyTimeoutMs: options.busyTimeoutMs,
    });
    try {
      migrateEventStoreSchema(db);
      return new SqliteEventStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    options: SqliteEventStoreOptions,
  ) {
    this.subscriptions = new CatchUpSubscriptions({
      readPage: async (after, maxCount) => this.readAfter(after, maxCount),
      pollIntervalMs: positiveInteger('pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS),
    });
    this.maxBatchAppends = positiveInteger('maxBatchAppends', options.maxBatchAppends, DEFAULT_MAX_BATCH_APPENDS);
    this.maxBatchEvents = positiveInteger('maxBatchEvents', options.maxBatchEvents, DEFAULT_MAX_BATCH_EVENTS);
    this.clock = options.clock ?? systemClock.now;

    this.selectStreamRevision = db.prepare<[string], number>('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    this.insertEvent = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertStream = db.prepare(
      'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
    );
    this.selectStreamOfEventId = db.prepare<[string], string>('SELECT stream_id FROM events WHERE event_id = ?').pluck();
    this.selectAllAfter = db
      .prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
      .raw();
    this.selectStream = db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw();
    this.selectHeadPosition = db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck();
    this.selectOne = db.prepare<[], number>('SELECT 1').pluck();
    this.updateRecordedHead = prepareRecordedHeadUpdate(db);
    // One read transaction: another process committing between the two reads would look like damage.
    this.id = db.transaction(() => readStoreIdentity(db, this.selectHeadPosition.get() ?? 0))();

    this.commitBatch = db.transaction((batch: PendingAppend[], recordedAt: string) => {
      let head = 0;
      for (const append of batch) {
        this.writeOrRefuse(append, recordedAt);
        if (append.result !== undefined && append.result.position > head) head = append.result.position;
      }
      if (head > 0) this.updateRecordedHead.run(head);
    });
    // Called inside commitBatch, so better-sqlite3 runs it as a SAVEPOINT: a failure rolls back this
    // append's events only, leaving the rest of the batch intact.
    this.writeEventsInSavepoint = db.transaction((append: PendingAppend, actual: number, recordedAt: string) =>
      this.writeEvents(append, actual, recordedAt),
    );
  }

  get writeFailingSince(): string | undefined {
    return this.failingSince;
  }

  /** Counters since this instance was opened (a snapshot). */
  get metrics(): SqliteEventStoreMetrics {
    return { ...this.counters };
  }

  observeCommits(observer: CommitObserver): void { this.commitObservers.push(observer); }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    let serialized: SerializedEvent[];
    try {
      this.assertAcceptingWrites();
      assertValidAppend(streamId, events, expected);
      // Serialising now snapshots the caller's objects and lets an unserialisable event fail alone.
      serialized = events.map((event) => ({
        id: event.id,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
      }));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, events: serialized, resolve, reject, result: undefined, refusal: undefined });
      this.flushHandle ??= setImmediate(this.flush);
    });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { fromRevision, maxCount } = resolveReadStreamOptions(options);
    this.assertOpen();
    return readEvents(this.selectStream, [streamId, fromRevision, maxCount ?? -1]);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, maxCount } = resolveReadAllOptions(options);
    this.assertOpen();
    return this.readAfter(after, maxCount ?? -1);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closing) throw new EventStoreUnavailableError('The SQLite event store is closed');
    return this.subscriptions.open(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.selectHeadPosition.get() ?? 0;
  }

  committedHeadPosition(): number {
    this.assertOpen();
    return this.selectHeadPosition.get() ?? 0;
  }

  async storeId(): Promise<string> {
    this.assertOpen();
    return this.id;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.selectOne.get();
  }

  /** Commits the appends already accepted, stops the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.flushHandle !== undefined) {
      clearImmediate(this.flushHandle);
      this.flushHandle = undefined;
    }
    while (this.queue.length > 0) this.flushBatch();
    await this.subscriptions.stopAll();
    this.db.close();
  }

  private readAfter(after: number, limit: number): RecordedEvent[] {
    return readEvents(this.selectAllAfter, [after, limit]);
  }

  private readonly flush = (): void => {
    this.flushHandle = undefined;
    this.flushBatch();
    if (this.queue.length > 0) this.flushHandle = setImmediate(this.flush);
  };

  private flushBatch(): void {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const started = performance.now();
    try {
      this.commitBatch.immediate(batch, this.clock().toISOString());
    } catch (error) {
      // The whole transaction is gone, including verdicts that depended on earlier appends of it.
      this.counters.failedTransactions++;
      const failure = this.asStoreFailure(error);
      if (failure instanceof EventStoreUnavailableError) this.failingSince ??= this.clock().toISOString();
      for (const append of batch) append.reject(failure);
      this.reportCommit(batch, started, false);
      return;
    }
    this.counters.committedTransactions++;
    this.failingSince = undefined;
    let committed = 0;
    for (const append of batch) {
      if (append.result !== undefined) {
        committed++;
        this.counters.committedEvents += append.events.length;
        append.resolve(append.result);
      } else {
        this.counters.refusedAppends++;
        append.reject(append.refusal);
      }
    }
    this.counters.committedAppends += committed;
    if (committed > 0) this.subscriptions.notifyAll();
    this.reportCommit(batch, started, true);
  }

  /** After the batch's promises are settled; an observer that throws is ignored, so it cannot fail a write. */
  private reportCommit(batch: PendingAppend[], started: number, committed: boolean): void {
    const events = batch.reduce((sum, append) => sum + append.events.length, 0);
    const report = { appends: batch.length, events, durationMs: performance.now() - started, committed };
    for (const observer of this.commitObservers) Promise.resolve(report).then(observer).catch(() => undefined);
  }

  private takeBatch(): PendingAppend[] {
    let appends = 0;
    let events = 0;
    while (appends < this.queue.length && appends < this.maxBatchAppends) {
      const size = this.queue[appends].events.length;
      if (appends > 0 && events + size > this.maxBatchEvents) break;
      appends++;
      events += size;
    }
    if (appends === this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }
    return this.queue.splice(0, appends);
  }

  /** Runs inside the batch transaction. Throws only for failures that must abort the whole batch. */
  private writeOrRefuse(append: PendingAppend, recordedAt: string): void {
    append.result = undefined;
    append.refusal = undefined;
    const actual = this.selectStreamRevision.get(append.streamId) ?? NO_STREAM_REVISION;
    const violation = expectedRevisionViolation(append.streamId, append.expected, actual);
    if (violation) {
      append.refusal = violation;
      return;
    }
    try {
      // A single INSERT is atomic by itself; only multi-event appends need a savepoint.
      append.result =
        append.events.length === 1
          ? this.writeEvents(append, actual, recordedAt)
          : this.writeEventsInSavepoint(append, actual, recordedAt);
    } catch (error) {
      const duplicate = this.duplicateEventIdError(error, append);
      if (duplicate === undefined || !this.db.inTransaction) throw error;
      append.refusal = duplicate;
    }
  }

  private writeEvents(append: PendingAppend, actual: number, recordedAt: string): AppendResult {
    const { streamId, events } = append;
    let revision = actual;
    let position = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      revision++;
      // position is left to SQLite: max(position) + 1 inside the write lock, hence gap-free.
      position = Number(
        this.insertEvent.run(streamId, revision, event.id, event.type, event.data, event.metadata, recordedAt)
          .lastInsertRowid,
      );
    }
    this.upsertStream.run(streamId, revision);
    return { nextExpectedRevision: revision, position };
  }

  private duplicateEventIdError(error: unknown, append: PendingAppend): DuplicateEventIdError | undefined {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT_UNIQUE' || !String((error as Error).message).includes('events.event_id')) {
      return undefined;
    }
    // The append's own rows were rolled back, so whichever of its ids is still found was stored before.
    const stored = append.events.find((event) => this.selectStreamOfEventId.get(event.id) !== undefined);
    return new DuplicateEventIdError(stored?.id ?? append.events[0].id, append.streamId);
  }

  private asStoreFailure(error: unknown): unknown {
    if (isSqliteUnavailableError(error)) {
      return new EventStoreUnavailableError(`The SQLite event store cannot write right now (${sqliteCode(error)})`, 1, error);
    }
    if (!this.db.open) return new EventStoreUnavailableError('The SQLite event store is closed', 1, error);
    return error;
  }

  private assertOpen(): void {
    if (!this.db.open) throw new EventStoreUnavailableError('The SQLite event store is closed');
  }

  private assertAcceptingWrites(): void {
    if (this.closing) throw new EventStoreUnavailableError('The SQLite event store is closed');
  }
}
