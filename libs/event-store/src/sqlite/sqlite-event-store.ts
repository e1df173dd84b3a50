/**
 * The embedded event store: one SQLite file, WAL mode, durable commits and group commit.
 *
 * Writes: `append` validates and serialises on the caller's tick, then queues. The queue is flushed
 * on the next turn of the event loop (setImmediate) in ONE `BEGIN IMMEDIATE` transaction (batch-writer.ts):
 * each queued append, in arrival order, checks its expected revision against the state including the
 * earlier appends of the same batch and is written, or fails alone. Promises settle only after COMMIT
 * returned, i.e. after the WAL was fsynced (synchronous=FULL). Appends made while a batch is being
 * committed or settled go to the next batch, so under load one fsync carries many appends.
 *
 * The transaction runs on a writer thread (writer-thread.ts) with its own connection, so that neither
 * its statements nor its fsync hold up the thread that serves requests; one batch is in flight at a
 * time and the next fills meanwhile. A ':memory:' database cannot be shared between connections, so it
 * is written on the store's own connection, synchronously, as can be forced with `writerThread: false`.
 *
 * Reads go through the store's own connection with prepared statements. In WAL mode each read sees
 * every transaction committed before it started, so an append is visible as soon as its promise settled;
 * a read never observes a half-written batch.
 */

import { systemClock } from '@escrow/clock';
import type Database from 'better-sqlite3';
import { assertValidAppend } from '../append-rules';
import { CatchUpSubscriptions } from '../catch-up-subscription';
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
import { AppendOutcome, BatchAppend, refusalError, SerializedEvent, SqliteBatchWriter } from './batch-writer';
import { EVENT_COLUMNS, EventRow, readEvents } from './event-rows';
import { migrateEventStoreSchema } from './schema';
import { openSqliteDatabase, SqliteDatabaseOptions } from './sqlite-database';
import { isSqliteUnavailableError, sqliteCode } from './sqlite-errors';
import { readStoreIdentity } from './store-metadata';
import { WriterThreadClient, WriterThreadOptions } from './writer-thread-client';

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
  /**
   * Commit on a writer thread (default for a file) or on the store's own connection, synchronously
   * (`false`; the only choice for ':memory:').
   */
  writerThread?: boolean;
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

interface PendingAppend extends BatchAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const toBatchAppend = ({ streamId, expected, events }: PendingAppend): BatchAppend => ({ streamId, expected, events });

export class SqliteEventStore implements EventStore {
  private readonly maxBatchAppends: number;
  private readonly maxBatchEvents: number;
  private readonly clock: () => Date;

  private readonly selectAllAfter: Database.Statement<[number, number], EventRow>;
  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectHeadPosition: Database.Statement<[], number>;
  private readonly selectOne: Database.Statement<[], number>;
  private readonly id: string;
  /** Set when this connection writes too; otherwise `writerThreadOptions` is. */
  private readonly sameThreadWriter: SqliteBatchWriter | undefined;
  private readonly writerThreadOptions: WriterThreadOptions | undefined;
  private writerThread: WriterThreadClient | undefined;
  /** The batch the writer thread is committing, if any. */
  private inFlight: Promise<void> | undefined;

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
      if (options.writerThread === true && db.memory) {
        throw new RangeError("A ':memory:' database cannot be shared with a writer thread: open it with writerThread: false");
      }
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
    // One read transaction: another process committing between the two reads would look like damage.
    this.id = db.transaction(() => readStoreIdentity(db, this.selectHeadPosition.get() ?? 0))();

    if (options.writerThread ?? !db.memory) {
      // Started with the first write: an instance that only reads (a reader in another thread) needs none.
      this.writerThreadOptions = { file: options.file, synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs };
    } else {
      this.sameThreadWriter = new SqliteBatchWriter(db);
    }
  }

  get writeFailingSince(): string | undefined {
    return this.failingSince;
  }

  /** Counters since this instance was opened (a snapshot). */
  get metrics(): SqliteEventStoreMetrics {
    return { ...this.counters };
  }

  /** True when the commits run on a writer thread rather than on this store's own connection. */
  get writesOnWriterThread(): boolean {
    return this.sameThreadWriter === undefined;
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
      this.queue.push({ streamId, expected, events: serialized, resolve, reject });
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
    return this.committedHeadPosition();
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

  /**
   * Runs a PRAGMA on the connection that writes and returns its simple value: for operations that must
   * act on the writer (a test capping the file's pages to play a full disk), wherever it runs.
   */
  async writerPragma(pragma: string): Promise<unknown> {
    this.assertOpen();
    if (this.sameThreadWriter !== undefined) return this.db.pragma(pragma, { simple: true });
    return this.runningWriterThread().pragma(pragma);
  }

  /** Commits the appends already accepted, stops the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.flushHandle !== undefined) {
      clearImmediate(this.flushHandle);
      this.flushHandle = undefined;
    }
    if (this.sameThreadWriter !== undefined) {
      while (this.queue.length > 0) this.commitOnThisThread(this.sameThreadWriter);
    } else {
      while (this.inFlight !== undefined || this.queue.length > 0) await (this.inFlight ?? this.startWriterThreadCommit());
      await this.writerThread?.close();
    }
    await this.subscriptions.stopAll();
    this.db.close();
  }

  private readAfter(after: number, limit: number): RecordedEvent[] {
    return readEvents(this.selectAllAfter, [after, limit]);
  }

  private readonly flush = (): void => {
    this.flushHandle = undefined;
    if (this.sameThreadWriter !== undefined) {
      this.commitOnThisThread(this.sameThreadWriter);
      if (this.queue.length > 0) this.flushHandle = setImmediate(this.flush);
    } else if (this.inFlight === undefined) {
      // Otherwise the queue keeps filling and goes as one batch once the writer thread has answered.
      void this.startWriterThreadCommit();
    }
  };

  private commitOnThisThread(writer: SqliteBatchWriter): void {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const started = performance.now();
    let outcomes: AppendOutcome[];
    try {
      outcomes = writer.commit(batch, this.clock().toISOString());
    } catch (error) {
      this.settleFailedBatch(batch, error, performance.now() - started);
      return;
    }
    this.settleCommittedBatch(batch, outcomes, performance.now() - started);
  }

  private startWriterThreadCommit(): Promise<void> {
    const inFlight = this.commitOnWriterThread().finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0 && !this.closing) this.flushHandle ??= setImmediate(this.flush);
    });
    this.inFlight = inFlight;
    return inFlight;
  }

  private async commitOnWriterThread(): Promise<void> {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const started = performance.now();
    let committed: Awaited<ReturnType<WriterThreadClient['commit']>>;
    try {
      committed = await this.runningWriterThread().commit(batch.map(toBatchAppend), this.clock().toISOString());
    } catch (error) {
      this.settleFailedBatch(batch, error, performance.now() - started);
      return;
    }
    this.settleCommittedBatch(batch, committed.outcomes, committed.durationMs);
  }

  /** The writer thread, started on first use and again if it died (its appends in flight were rejected as unavailable). */
  private runningWriterThread(): WriterThreadClient {
    if (this.writerThread === undefined || !this.writerThread.running) {
      this.writerThread = WriterThreadClient.start(this.writerThreadOptions!);
    }
    return this.writerThread;
  }

  private settleFailedBatch(batch: PendingAppend[], error: unknown, durationMs: number): void {
    // The whole transaction is gone, including verdicts that depended on earlier appends of it.
    this.counters.failedTransactions++;
    const failure = this.asStoreFailure(error);
    if (failure instanceof EventStoreUnavailableError) this.failingSince ??= this.clock().toISOString();
    for (const append of batch) append.reject(failure);
    this.reportCommit(batch, durationMs, false);
  }

  private settleCommittedBatch(batch: PendingAppend[], outcomes: AppendOutcome[], durationMs: number): void {
    this.counters.committedTransactions++;
    this.failingSince = undefined;
    let committed = 0;
    for (let index = 0; index < batch.length; index++) {
      const append = batch[index];
      const outcome = outcomes[index];
      if (outcome.result !== undefined) {
        committed++;
        this.counters.committedEvents += append.events.length;
        append.resolve(outcome.result);
      } else {
        this.counters.refusedAppends++;
        append.reject(refusalError(outcome.refusal));
      }
    }
    this.counters.committedAppends += committed;
    if (committed > 0) this.subscriptions.notifyAll();
    this.reportCommit(batch, durationMs, true);
  }

  /** After the batch's promises are settled; an observer that throws is ignored, so it cannot fail a write. */
  private reportCommit(batch: PendingAppend[], durationMs: number, committed: boolean): void {
    const events = batch.reduce((sum, append) => sum + append.events.length, 0);
    const report = { appends: batch.length, events, durationMs, committed };
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

  private asStoreFailure(error: unknown): unknown {
    if (error instanceof EventStoreUnavailableError) return error;
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
