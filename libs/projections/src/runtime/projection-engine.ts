/**
 * Runs the projections over the event store's global subscription.
 *
 * - ONE catch-up subscription, from the lowest projection checkpoint, feeds every projection.
 * - Each delivered batch is applied in ONE `BEGIN IMMEDIATE` transaction of the read-model database,
 *   which also moves every checkpoint it covers: rows and checkpoints commit or roll back together, so
 *   a crash or a failing handler never loses nor doubles an event.
 * - Inside that transaction each projection is handed only the events after its own checkpoint, read
 *   from the database, so projections at different positions (one just rebuilt, one up to date) share
 *   the subscription, and a checkpoint moved by another process is honoured rather than overwritten.
 * - A projection whose stored version differs from its code is dropped and rebuilt from position zero
 *   on start.
 * - Events reach handlers only through the store's subscription (never from an in-process publish
 *   after an append) and pass through the upcaster first.
 * - A projection may hold writes back during a batch (`prepareBatch`): its `flush` runs at the end of
 *   the batch, inside the transaction, before its checkpoint moves.
 * - A handler is prepared again after a batch rolled back, and when another process moved its
 *   checkpoint, so that anything it keeps in memory between events only ever mirrors committed rows.
 * - Without a subscription (`catchUp`, `rebuild` of an engine not started, i.e. the rebuild tool) the
 *   engine reads the log itself, in small pages, and applies many pages per transaction.
 * - Reactors (process managers) follow behind, see `reactor.ts` and `reactor-host.ts`; what they refuse
 *   for good is parked (`parked-events.ts`) and can be retried (`retryParkedEvent`).
 */

import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent, Subscription } from '@escrow/event-store/port';
import type { Projection, ProjectionBatch, ProjectionReader, ProjectionStatus } from '../projection';
import { assertRetryPolicy, DEFAULT_RETRY_POLICY, RetryPolicy, retryDelay } from './backoff';
import { CheckpointTable } from './checkpoints';
import type { ParkedEvent, ParkedEventQuery, ParkedEventResolver } from './parked-events';
import type { Reactor } from './reactor';
import { ReactorHost, ReactorReport } from './reactor-host';
import { identityUpcaster, Upcaster } from './upcaster';

/** Events per batch of the subscription, hence per read-model transaction while the service runs. */
export const DEFAULT_PROJECTION_BATCH_SIZE = 2000;
/**
 * Events per transaction when the engine reads the log itself (`catchUp`, `rebuild` of an engine not
 * started): nothing else waits on the event loop then, every commit rewrites the pages its rows touched,
 * and batching projections write each touched row once per transaction.
 */
export const DEFAULT_CATCH_UP_BATCH_SIZE = 250_000;
/**
 * Events per read of the log in those transactions: a page is applied and dropped before the next is read,
 * so decoded events die young, which the garbage collector rewards.
 */
export const DEFAULT_CATCH_UP_PAGE_SIZE = 500;
/** Events a reactor reads from the log at once. */
export const DEFAULT_REACTOR_PAGE_SIZE = 500;
/** How long `waitFor` waits when the caller names no timeout. */
export const DEFAULT_WAIT_TIMEOUT_MS = 5000;

export type ProjectionEngineErrorSource =
  | { kind: 'subscription' }
  | { kind: 'reactor'; reactor: string; event?: { position: number; id: string; type: string } };

export interface ProjectionEngineOptions {
  store: EventStore;
  /** The read-model database; the engine never closes it. */
  db: Database.Database;
  projections: readonly Projection[];
  reactors?: readonly Reactor[];
  upcast?: Upcaster;
  /** Most events applied in one transaction from the subscription (default 2000). */
  batchSize?: number;
  /** Most events applied in one transaction by `catchUp` and by `rebuild` on an engine not started (default 250,000). */
  catchUpBatchSize?: number;
  /** Events read from the log at once within those transactions (default 500). */
  catchUpPageSize?: number;
  reactorPageSize?: number;
  /** Back-off before resubscribing after a failed batch, and between retries of a failed reaction. */
  retry?: Partial<RetryPolicy>;
  /** Source of the checkpoints' updated_at; never seen by handlers. */
  clock?: () => Date;
  /** Id of the store (`EventStore.storeId`), recorded by every checkpoint created or reset from zero. */
  storeId?: string;
  /** Told about every passing failure; the engine keeps retrying on its own. */
  onError?: (error: unknown, source: ProjectionEngineErrorSource) => void;
  /** Failures of reactions that the host knows to be passing (e.g. its own "unavailable" answers). */
  isPassingFailure?: (error: unknown) => boolean;
  /** Told about every event a reactor parked. */
  onParked?: (parked: ParkedEvent) => void;
}

export interface WaitOptions {
  /** Default 5000; Infinity waits until reached or stopped. */
  timeoutMs?: number;
  /** Default: every projection. */
  projections?: readonly string[];
}

export interface RebuiltProjection {
  name: string;
  version: number;
  /** Checkpoint before the rebuild. */
  previousPosition: number;
  /** Checkpoint once the rebuild caught up. */
  position: number;
}

export interface RebuildReport {
  projections: RebuiltProjection[];
  /** Store head when the rebuild started; every rebuilt projection reached at least it. */
  targetPosition: number;
  /** Events read from the log while rebuilding. */
  eventsRead: number;
  durationMs: number;
}

/** A checkpoint went backwards under the engine (another process rebuilt it): resubscribe from the table. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`The checkpoint of ${projection} moved from ${expected} back to ${actual} outside this engine`);
    this.name = 'CheckpointMovedError';
  }
}

type EngineState = 'idle' | 'ready' | 'running' | 'stopped';

interface Waiter {
  position: number;
  names: readonly string[];
  settle(reached: boolean): void;
}

/** A projection's part in the batch being applied. */
interface OpenBatch {
  name: string;
  handler: ProjectionBatch;
  /** Its checkpoint when the batch began: it is handed only the events after it. */
  after: number;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Index of the first event strictly after `position` (events are in global order). */
function firstIndexAfter(events: readonly RecordedEvent[], position: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].position <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class ProjectionEngine implements ProjectionReader {
  readonly db: Database.Database;
  private readonly store: EventStore;
  private readonly projections: readonly Projection[];
  private readonly projectionsByName: ReadonlyMap<string, Projection>;
  private readonly upcast: Upcaster;
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;
  private readonly catchUpPageSize: number;
  private readonly retry: RetryPolicy;
  private readonly clock: () => Date;
  private readonly onError: ProjectionEngineOptions['onError'];
  private readonly checkpoints: CheckpointTable;
  private readonly reactors: ReactorHost;
  private readonly applyInTransaction: Database.Transaction<(events: readonly RecordedEvent[], last: number, now: string) => string[]>;

  private state: EngineState = 'idle';
  private readonly handlers = new Map<string, ProjectionBatch>();
  /** Mirror of the committed checkpoints, for waitFor and status without a query. */
  private readonly positions = new Map<string, number>();
  private readonly updatedAts = new Map<string, string | null>();
  private readonly waiters = new Set<Waiter>();
  private subscription: Subscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private subscriptionFailures = 0;
  /** Highest position of a committed batch: reactors never run ahead of it. */
  private committedPosition = 0;
  private eventsRead = 0;
  private exclusive: Promise<unknown> = Promise.resolve();
  private lastFailure: unknown;
  private subscriptionFailingSince: string | undefined;

  constructor(options: ProjectionEngineOptions) {
    this.db = options.db;
    this.store = options.store;
    this.projections = [...options.projections];
    this.upcast = options.upcast ?? identityUpcaster;
    this.batchSize = positiveInteger('batchSize', options.batchSize, DEFAULT_PROJECTION_BATCH_SIZE);
    this.catchUpBatchSize = positiveInteger('catchUpBatchSize', options.catchUpBatchSize, DEFAULT_CATCH_UP_BATCH_SIZE);
    this.catchUpPageSize = positiveInteger('catchUpPageSize', options.catchUpPageSize, DEFAULT_CATCH_UP_PAGE_SIZE);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    assertRetryPolicy(this.retry);
    this.clock = options.clock ?? (() => new Date());
    this.onError = options.onError;

    const names = new Set<string>();
    for (const projection of this.projections) {
      this.assertFreshName(names, projection.name);
      if (!Number.isSafeInteger(projection.version) || projection.version < 1) {
        throw new RangeError(`Projection ${projection.name}: version must be an integer >= 1`);
      }
      for (const table of projection.tables) {
        if (!TABLE_NAME.test(table)) throw new RangeError(`Projection ${projection.name}: invalid table name ${table}`);
      }
    }
    for (const reactor of options.reactors ?? []) this.assertFreshName(names, reactor.name);
    this.projectionsByName = new Map(this.projections.map((projection) => [projection.name, projection]));

    this.checkpoints = new CheckpointTable(this.db, options.storeId ?? null);
    this.reactors = new ReactorHost({
      db: this.db,
      store: this.store,
      upcast: this.upcast,
      checkpoints: this.checkpoints,
      retry: this.retry,
      pageSize: positiveInteger('reactorPageSize', options.reactorPageSize, DEFAULT_REACTOR_PAGE_SIZE),
      committedPosition: () => this.committedPosition,
      now: () => this.now(),
      isPassingFailure: options.isPassingFailure,
      onParked: options.onParked,
      onFailure: (error, reactor, event) => {
        this.lastFailure = error;
        this.report(error, { kind: 'reactor', reactor, ...(event ? { event: { position: event.position, id: event.id, type: event.type } } : {}) });
      },
    });
    for (const reactor of options.reactors ?? []) this.reactors.register(reactor);
    this.applyInTransaction = this.db.transaction((events: readonly RecordedEvent[], last: number, now: string) =>
      this.applyToEachProjection(events, last, now),
    );
  }

  get projectionNames(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  /** The last failure of the subscription or of a reactor, for health reports; undefined when none yet. */
  get lastError(): unknown {
    return this.lastFailure;
  }

  /** Since when the batches of the subscription have been failing; undefined once one commits again. */
  get failingSince(): string | undefined {
    return this.subscriptionFailingSince;
  }

  /**
   * Brings the tables to their versions (rebuilding those whose version changed), then subscribes and
   * starts the reactors. Resolves once running; catching up continues in the background (see waitFor).
   */
  async start(): Promise<void> {
    if (this.state === 'running') return;
    if (this.state === 'stopped') throw new Error('A stopped projection engine cannot be started again');
    this.initialise();
    this.state = 'running';
    this.subscribe();
    this.reactors.start();
  }

  /** Stops the subscription and the reactors; resolves once no batch nor reaction is in flight. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.clearRetryTimer();
    await this.stopSubscription();
    await this.reactors.stop();
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  /**
   * Without a running subscription: applies everything up to the store's head, in transactions of up to
   * `catchUpBatchSize` events, and resolves with the lowest checkpoint. For tools that run while the
   * service is stopped and use the connection for nothing else meanwhile.
   */
  async catchUp(): Promise<number> {
    if (this.state === 'running') throw new Error('catchUp() is for an engine that is not running; the subscription already catches up');
    if (this.state === 'stopped') throw new Error('The projection engine is stopped');
    this.initialise();
    await this.pullToHead();
    return this.lowestProjectionPosition();
  }

  /**
   * Empties the named projections (every one by default), sets their checkpoints to 0 and applies the
   * log again up to at least the head at the time of the call. Works on a running engine (the
   * subscription restarts from zero) and on one that is not started (the log is read directly, as by
   * `catchUp`).
   */
  rebuild(names?: readonly string[]): Promise<RebuildReport> {
    return this.serialised(async () => {
      const selected = this.resolveNames(names);
      if (this.state === 'stopped') throw new Error('The projection engine is stopped');
      this.initialise();
      const running = this.state === 'running';
      if (running) {
        this.clearRetryTimer();
        await this.stopSubscription();
      }
      const startedAt = performance.now();
      const eventsBefore = this.eventsRead;
      const targetPosition = await this.store.headPosition();
      const previous = new Map(selected.map((name) => [name, this.positions.get(name) ?? 0]));
      this.reset(selected);
      if (running) {
        this.subscribe();
        const reached = await this.waitFor(targetPosition, { timeoutMs: Infinity, projections: selected });
        if (!reached) throw new Error('The projection engine stopped before the rebuild caught up');
      } else {
        await this.pullToHead();
      }
      return {
        projections: selected.map((name) => ({
          name,
          version: this.projectionsByName.get(name)!.version,
          previousPosition: previous.get(name) ?? 0,
          position: this.positions.get(name) ?? 0,
        })),
        targetPosition,
        eventsRead: this.eventsRead - eventsBefore,
        durationMs: Math.ceil(performance.now() - startedAt),
      };
    });
  }

  /** Resolves true once every named projection (default: all) has applied `position`, false on timeout or stop. */
  waitFor(position: number, options: WaitOptions = {}): Promise<boolean> {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`position must be an integer >= 0, got ${position}`);
    const names = this.resolveNames(options.projections);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    if (!(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be >= 0, got ${timeoutMs}`);
    if (this.hasReached(position, names)) return Promise.resolve(true);
    if (this.state === 'stopped' || timeoutMs === 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        position,
        names,
        settle: (reached) => {
          if (timer !== undefined) clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const headPosition = await this.store.headPosition();
    const stored = this.state === 'idle' ? new Map(this.checkpoints.all().map((row) => [row.name, row])) : undefined;
    return this.projections.map((projection) => {
      const position = stored ? (stored.get(projection.name)?.position ?? 0) : (this.positions.get(projection.name) ?? 0);
      const updatedAt = stored ? (stored.get(projection.name)?.updatedAt ?? null) : (this.updatedAts.get(projection.name) ?? null);
      return {
        name: projection.name,
        version: projection.version,
        position,
        headPosition,
        lag: Math.max(0, headPosition - position),
        updatedAt,
      };
    });
  }

  /** Checkpoint of one projection as this engine last committed it. */
  positionOf(name: string): number {
    this.resolveNames([name]);
    if (this.state === 'idle') return this.checkpoints.get(name)?.position ?? 0;
    return this.positions.get(name) ?? 0;
  }

  reactorStatus(): ReactorReport[] {
    return this.reactors.status();
  }

  /** Events parked by the reactors, oldest first. */
  parkedEvents(query: ParkedEventQuery): ParkedEvent[] {
    return this.reactors.parkedEvents(query);
  }

  /** Hands a parked event to its reactor again now; see `parked-event-retry.ts`. */
  retryParkedEvent(parkedId: number, by: ParkedEventResolver): Promise<ParkedEvent> {
    return this.reactors.retryParkedEvent(parkedId, by);
  }

  /** Registers a reactor; on a running engine it starts at once from its stored checkpoint. */
  addReactor(reactor: Reactor): void {
    if (this.state === 'stopped') throw new Error('The projection engine is stopped');
    this.assertFreshName(new Set([...this.projectionsByName.keys(), ...this.reactors.names()]), reactor.name);
    if (this.state === 'idle') this.reactors.register(reactor);
    else this.reactors.add(reactor);
  }

  // ---------------------------------------------------------------------------------------------

  private initialise(): void {
    if (this.state !== 'idle') return;
    const now = this.now();
    this.db
      .transaction(() => {
        for (const projection of this.projections) {
          const stored = this.checkpoints.get(projection.name);
          if (stored === undefined) {
            projection.setup(this.db);
            this.checkpoints.insert({ name: projection.name, kind: 'projection', version: projection.version, position: 0, updatedAt: now });
          } else if (stored.kind !== 'projection') {
            throw new Error(`${projection.name} is stored as a ${stored.kind}, not a projection`);
          } else if (stored.version !== projection.version) {
            this.dropAndSetUp(projection);
            this.checkpoints.reset(projection.name, projection.version, now);
          } else {
            projection.setup(this.db);
          }
        }
        this.reactors.ensurePendingCheckpoints(now);
      })
      .immediate();
    this.loadPositions();
    this.prepareHandlers();
    this.committedPosition = this.lowestProjectionPosition();
    this.reactors.open();
    this.state = 'ready';
  }

  private prepareHandlers(): void {
    for (const projection of this.projections) this.prepareHandler(projection);
  }

  private prepareHandler(projection: Projection): ProjectionBatch {
    const handler = projection.prepareBatch?.(this.db) ?? { apply: projection.prepare(this.db), flush: () => {} };
    this.handlers.set(projection.name, handler);
    return handler;
  }

  private loadPositions(): void {
    const stored = new Map(this.checkpoints.all().map((row) => [row.name, row]));
    for (const projection of this.projections) {
      const row = stored.get(projection.name);
      this.positions.set(projection.name, row?.position ?? 0);
      this.updatedAts.set(projection.name, row?.updatedAt ?? null);
    }
  }

  private dropAndSetUp(projection: Projection): void {
    for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    projection.setup(this.db);
  }

  private reset(names: readonly string[]): void {
    const now = this.now();
    this.db
      .transaction(() => {
        for (const name of names) {
          const projection = this.projectionsByName.get(name)!;
          this.dropAndSetUp(projection);
          this.checkpoints.reset(name, projection.version, now);
        }
      })
      .immediate();
    for (const name of names) {
      this.positions.set(name, 0);
      this.updatedAts.set(name, now);
      // The tables are new: statements prepared against the old ones are not reused.
      this.prepareHandler(this.projectionsByName.get(name)!);
    }
  }

  private subscriptionStart(): number {
    if (this.projections.length > 0) return this.lowestProjectionPosition();
    return this.reactors.lowestPosition() ?? 0;
  }

  private lowestProjectionPosition(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const projection of this.projections) lowest = Math.min(lowest, this.positions.get(projection.name) ?? 0);
    return Number.isFinite(lowest) ? lowest : this.committedPosition;
  }

  private subscribe(): void {
    let subscription: Subscription | undefined;
    try {
      subscription = this.store.subscribeToAll({
        after: this.subscriptionStart(),
        maxBatchSize: this.batchSize,
        handler: async (events) => {
          this.applyBatch(events);
          this.subscriptionFailures = 0;
          this.subscriptionFailingSince = undefined;
        },
        onError: (error) => this.subscriptionFailed(error, subscription),
      });
      this.subscription = subscription;
    } catch (error) {
      this.subscriptionFailed(error, undefined);
    }
  }

  private subscriptionFailed(error: unknown, failed: Subscription | undefined): void {
    this.lastFailure = error;
    this.subscriptionFailingSince ??= this.now();
    this.report(error, { kind: 'subscription' });
    if (failed !== undefined && this.subscription !== failed) return;
    this.subscription = undefined;
    if (this.state !== 'running' || this.retryTimer !== undefined) return;
    this.subscriptionFailures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state !== 'running' || this.subscription !== undefined) return;
      // Another process may have moved the checkpoints (a rebuild): start from what is stored.
      this.loadPositions();
      this.subscribe();
    }, retryDelay(this.retry, this.subscriptionFailures));
  }

  private async stopSubscription(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription !== undefined) await subscription.stop();
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /**
   * Reads the log in pages of `catchUpPageSize` events and applies up to `catchUpBatchSize` events in each
   * transaction. The transaction stays open while the next page is read: only tools that use the
   * connection for nothing else call this (a query on it meanwhile would see the open transaction).
   */
  private async pullToHead(): Promise<void> {
    const pageSize = Math.min(this.catchUpPageSize, this.catchUpBatchSize);
    let after = this.subscriptionStart();
    for (;;) {
      const first = await this.store.readAll({ after, maxCount: pageSize });
      if (first.length === 0) return;
      after = await this.applyPagesInOneTransaction(first, pageSize);
    }
  }

  /** Applies `first` and the pages after it in one transaction; resolves with the last position applied. */
  private async applyPagesInOneTransaction(first: readonly RecordedEvent[], pageSize: number): Promise<number> {
    const now = this.now();
    let events = first;
    let requested = pageSize;
    let last = 0;
    let count = 0;
    let advanced: string[];
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const batch = this.openBatch();
      for (;;) {
        this.applyPage(batch, this.upcast === identityUpcaster ? events : events.map(this.upcast));
        last = events[events.length - 1].position;
        count += events.length;
        // A page shorter than asked for has most likely reached the head: commit what there is.
        if (count >= this.catchUpBatchSize || events.length < requested) break;
        requested = Math.min(pageSize, this.catchUpBatchSize - count);
        events = await this.store.readAll({ after: last, maxCount: requested });
        if (events.length === 0) break;
      }
      advanced = this.closeBatch(batch, last, now);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.prepareHandlers();
      throw error;
    }
    this.committed(advanced, last, count, now);
    return last;
  }

  private applyBatch(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const upcasted = this.upcast === identityUpcaster ? events : events.map(this.upcast);
    const now = this.now();
    let advanced: string[];
    try {
      advanced = this.applyInTransaction.immediate(upcasted, last, now);
    } catch (error) {
      // The rows went back to the last commit: whatever a handler kept in memory about them goes too.
      this.prepareHandlers();
      throw error;
    }
    this.committed(advanced, last, events.length, now);
  }

  private committed(advanced: readonly string[], last: number, events: number, now: string): void {
    for (const name of advanced) {
      this.positions.set(name, last);
      this.updatedAts.set(name, now);
    }
    this.eventsRead += events;
    if (last > this.committedPosition) this.committedPosition = last;
    this.settleWaiters();
    this.reactors.notify();
  }

  /** Runs inside the batch transaction. */
  private applyToEachProjection(events: readonly RecordedEvent[], last: number, now: string): string[] {
    const batch = this.openBatch();
    this.applyPage(batch, events);
    return this.closeBatch(batch, last, now);
  }

  /**
   * Inside the batch transaction, before its first event: each projection's handler and the checkpoint it
   * starts after, read from the table so that a checkpoint moved by another process is honoured.
   */
  private openBatch(): OpenBatch[] {
    return this.projections.map((projection) => {
      const stored = this.checkpoints.get(projection.name);
      if (stored === undefined || stored.version !== projection.version) {
        throw new Error(`The checkpoint of ${projection.name} was removed or changed version outside this engine`);
      }
      const known = this.positions.get(projection.name) ?? 0;
      if (stored.position < known) throw new CheckpointMovedError(projection.name, known, stored.position);
      // Another process wrote these tables since: start from them, not from what this handler remembers.
      const handler = stored.position !== known ? this.prepareHandler(projection) : this.handlers.get(projection.name)!;
      return { name: projection.name, handler, after: stored.position };
    });
  }

  /** Hands each projection the events of the page after its checkpoint. */
  private applyPage(batch: readonly OpenBatch[], events: readonly RecordedEvent[]): void {
    for (const { handler, after } of batch) {
      for (let index = firstIndexAfter(events, after); index < events.length; index++) handler.apply(events[index]);
    }
  }

  /** Flushes every handler that had events and moves its checkpoint to `last`; returns their names. */
  private closeBatch(batch: readonly OpenBatch[], last: number, now: string): string[] {
    const advanced: string[] = [];
    for (const { name, handler, after } of batch) {
      if (after >= last) continue;
      handler.flush();
      this.checkpoints.advance(name, last, now);
      advanced.push(name);
    }
    return advanced;
  }

  private hasReached(position: number, names: readonly string[]): boolean {
    if (this.state === 'idle') return false;
    for (const name of names) if ((this.positions.get(name) ?? 0) < position) return false;
    return true;
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.hasReached(waiter.position, waiter.names)) waiter.settle(true);
    }
  }

  private resolveNames(names: readonly string[] | undefined): string[] {
    if (names === undefined) return this.projectionNames;
    for (const name of names) {
      if (!this.projectionsByName.has(name)) {
        throw new RangeError(`Unknown projection ${name}; known: ${this.projectionNames.join(', ') || 'none'}`);
      }
    }
    return [...new Set(names)];
  }

  private assertFreshName(taken: Set<string>, name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw new RangeError('Projection and reactor names must be non-empty');
    if (taken.has(name)) throw new RangeError(`The name ${name} is used twice`);
    taken.add(name);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(task, task);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private report(error: unknown, source: ProjectionEngineErrorSource): void {
    try {
      this.onError?.(error, source);
    } catch {
      // A failing error hook must not take the engine down.
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  return value;
}
