/**
 * Runs the projections over the event store's global subscription.
 *
 * - ONE catch-up subscription, from the lowest projection checkpoint, feeds every projection
 *   (`projection-subscription.ts`).
 * - Each delivered batch is applied in ONE `BEGIN IMMEDIATE` transaction of the read-model database,
 *   which also moves every checkpoint it covers: rows and checkpoints commit or roll back together, so
 *   a crash or a failing handler never loses nor doubles an event (`projection-batches.ts`).
 * - Inside that transaction each projection is handed only the events after its own checkpoint, read
 *   from the database, so projections at different positions (one just rebuilt, one up to date) share
 *   the subscription, and a checkpoint moved by another process is honoured rather than overwritten.
 * - A projection whose stored version differs from its code is dropped and rebuilt from position zero
 *   on start (`projection-tables.ts`).
 * - Events reach handlers only through the store's subscription (never from an in-process publish
 *   after an append) and pass through the upcaster first.
 * - A projection may hold writes back during a batch (`prepareBatch`): its `flush` runs at the end of
 *   the batch, inside the transaction, before its checkpoint moves.
 * - A handler is prepared again after a batch rolled back, and when another process moved its
 *   checkpoint, so that anything it keeps in memory between events only ever mirrors committed rows.
 * - Without a subscription (`catchUp`, `rebuild` of an engine not started, i.e. the rebuild tool) the
 *   engine reads the log itself, in small pages, and applies many pages per transaction (`log-catch-up.ts`).
 * - Waiting for a position and the projections' status answer from the committed checkpoints
 *   (`projection-progress.ts`).
 * - Reactors (process managers) follow behind, see `reactor.ts` and `reactor-host.ts`; what they refuse
 *   for good is parked (`parked-events.ts`) and can be retried (`retryParkedEvent`).
 */

import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { EventStore } from '@escrow/event-store/port';
import type { Projection, ProjectionReader, ProjectionStatus } from '../projection';
import { assertRetryPolicy, DEFAULT_RETRY_POLICY, RetryPolicy } from './backoff';
import { CheckpointTable } from './checkpoints';
import { DEFAULT_CATCH_UP_BATCH_SIZE, DEFAULT_CATCH_UP_PAGE_SIZE, LogCatchUp } from './log-catch-up';
import type { ParkedEvent, ParkedEventQuery, ParkedEventResolver } from './parked-events';
import { ProjectionBatches } from './projection-batches';
import { ProjectionProgress, WaitOptions } from './projection-progress';
import { DEFAULT_PROJECTION_BATCH_SIZE, ProjectionSubscription } from './projection-subscription';
import { assertProjectionDefinition, ProjectionTables } from './projection-tables';
import type { Reactor } from './reactor';
import { ReactorHost, ReactorReport } from './reactor-host';
import { identityUpcaster, Upcaster } from './upcaster';

// Callers take the engine's whole surface from this file; these live with the code they are about.
export { DEFAULT_CATCH_UP_BATCH_SIZE, DEFAULT_CATCH_UP_PAGE_SIZE } from './log-catch-up';
export { CheckpointMovedError } from './projection-batches';
export { DEFAULT_WAIT_TIMEOUT_MS } from './projection-progress';
export type { WaitOptions } from './projection-progress';
export { DEFAULT_PROJECTION_BATCH_SIZE } from './projection-subscription';

/** Events a reactor reads from the log at once. */
export const DEFAULT_REACTOR_PAGE_SIZE = 500;

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

type EngineState = 'idle' | 'ready' | 'running' | 'stopped';

export class ProjectionEngine implements ProjectionReader {
  readonly db: Database.Database;
  private readonly store: EventStore;
  private readonly projections: readonly Projection[];
  private readonly projectionsByName: ReadonlyMap<string, Projection>;
  private readonly clock: () => Date;
  private readonly onError: ProjectionEngineOptions['onError'];
  private readonly checkpoints: CheckpointTable;
  private readonly reactors: ReactorHost;
  private readonly tables: ProjectionTables;
  private readonly progress: ProjectionProgress;
  private readonly batches: ProjectionBatches;
  private readonly logCatchUp: LogCatchUp;
  private readonly subscription: ProjectionSubscription;

  private state: EngineState = 'idle';
  private exclusive: Promise<unknown> = Promise.resolve();
  private lastFailure: unknown;

  constructor(options: ProjectionEngineOptions) {
    this.db = options.db;
    this.store = options.store;
    this.projections = [...options.projections];
    const upcast = options.upcast ?? identityUpcaster;
    const batchSize = positiveInteger('batchSize', options.batchSize, DEFAULT_PROJECTION_BATCH_SIZE);
    const catchUpBatchSize = positiveInteger('catchUpBatchSize', options.catchUpBatchSize, DEFAULT_CATCH_UP_BATCH_SIZE);
    const catchUpPageSize = positiveInteger('catchUpPageSize', options.catchUpPageSize, DEFAULT_CATCH_UP_PAGE_SIZE);
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    assertRetryPolicy(retry);
    this.clock = options.clock ?? (() => new Date());
    this.onError = options.onError;

    const names = new Set<string>();
    for (const projection of this.projections) {
      this.assertFreshName(names, projection.name);
      assertProjectionDefinition(projection);
    }
    for (const reactor of options.reactors ?? []) this.assertFreshName(names, reactor.name);
    this.projectionsByName = new Map(this.projections.map((projection) => [projection.name, projection]));

    this.checkpoints = new CheckpointTable(this.db, options.storeId ?? null);
    this.reactors = new ReactorHost({
      db: this.db,
      store: this.store,
      upcast,
      checkpoints: this.checkpoints,
      retry,
      pageSize: positiveInteger('reactorPageSize', options.reactorPageSize, DEFAULT_REACTOR_PAGE_SIZE),
      committedPosition: () => this.progress.committedPosition,
      now: () => this.now(),
      isPassingFailure: options.isPassingFailure,
      onParked: options.onParked,
      onFailure: (error, reactor, event) => {
        this.lastFailure = error;
        this.report(error, { kind: 'reactor', reactor, ...(event ? { event: { position: event.position, id: event.id, type: event.type } } : {}) });
      },
    });
    for (const reactor of options.reactors ?? []) this.reactors.register(reactor);

    this.tables = new ProjectionTables(this.db, this.checkpoints);
    this.progress = new ProjectionProgress(this.projections, this.checkpoints, () => this.state !== 'idle');
    const committed = this.committed.bind(this);
    this.batches = new ProjectionBatches({
      db: this.db,
      projections: this.projections,
      checkpoints: this.checkpoints,
      upcast,
      committedPositionOf: (name) => this.progress.of(name),
      committed,
      now: () => this.now(),
    });
    this.logCatchUp = new LogCatchUp({
      db: this.db,
      store: this.store,
      batches: this.batches,
      batchSize: catchUpBatchSize,
      pageSize: catchUpPageSize,
      committed,
      now: () => this.now(),
    });
    this.subscription = new ProjectionSubscription({
      store: this.store,
      batchSize,
      retry,
      start: () => this.subscriptionStart(),
      applyBatch: (events) => this.batches.apply(events),
      isRunning: () => this.state === 'running',
      reloadPositions: () => this.progress.load(),
      recordFailure: (error) => {
        this.lastFailure = error;
      },
      reportFailure: (error) => this.report(error, { kind: 'subscription' }),
      now: () => this.now(),
    });
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
    return this.subscription.failingSince;
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
    this.subscription.open();
    this.reactors.start();
  }

  /** Stops the subscription and the reactors; resolves once no batch nor reaction is in flight. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.subscription.close();
    await this.reactors.stop();
    this.progress.abandonWaiters();
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
    await this.logCatchUp.pullToHead(this.subscriptionStart());
    return this.progress.lowest();
  }

  /**
   * Empties the named projections (every one by default), sets their checkpoints to 0 and applies the
   * log again up to at least the head at the time of the call. Works on a running engine (the
   * subscription restarts from zero) and on one that is not started (the log is read directly, as by
   * `catchUp`).
   */
  rebuild(names?: readonly string[]): Promise<RebuildReport> {
    return this.serialised(async () => {
      const selected = this.progress.resolveNames(names);
      if (this.state === 'stopped') throw new Error('The projection engine is stopped');
      this.initialise();
      const running = this.state === 'running';
      if (running) await this.subscription.close();
      const startedAt = performance.now();
      const eventsBefore = this.progress.eventsRead;
      const targetPosition = await this.store.headPosition();
      const previous = new Map(selected.map((name) => [name, this.progress.of(name)]));
      this.reset(selected);
      if (running) {
        this.subscription.open();
        const reached = await this.waitFor(targetPosition, { timeoutMs: Infinity, projections: selected });
        if (!reached) throw new Error('The projection engine stopped before the rebuild caught up');
      } else {
        await this.logCatchUp.pullToHead(this.subscriptionStart());
      }
      return {
        projections: selected.map((name) => ({
          name,
          version: this.projectionsByName.get(name)!.version,
          previousPosition: previous.get(name) ?? 0,
          position: this.progress.of(name),
        })),
        targetPosition,
        eventsRead: this.progress.eventsRead - eventsBefore,
        durationMs: Math.ceil(performance.now() - startedAt),
      };
    });
  }

  /** Resolves true once every named projection (default: all) has applied `position`, false on timeout or stop. */
  waitFor(position: number, options: WaitOptions = {}): Promise<boolean> {
    return this.progress.waitFor(position, options, this.state === 'stopped');
  }

  async status(): Promise<ProjectionStatus[]> {
    return this.progress.status(await this.store.headPosition());
  }

  /** Checkpoint of one projection as this engine last committed it. */
  positionOf(name: string): number {
    return this.progress.positionOf(name);
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
        this.tables.bringToCodeVersions(this.projections, now);
        this.reactors.ensurePendingCheckpoints(now);
      })
      .immediate();
    this.progress.load();
    this.batches.prepareHandlers();
    this.progress.commitLowest();
    this.reactors.open();
    this.state = 'ready';
  }

  private reset(names: readonly string[]): void {
    const now = this.now();
    this.db
      .transaction(() => {
        for (const name of names) this.tables.empty(this.projectionsByName.get(name)!, now);
      })
      .immediate();
    for (const name of names) {
      this.progress.reset(name, now);
      // The tables are new: statements prepared against the old ones are not reused.
      this.batches.prepareHandler(this.projectionsByName.get(name)!);
    }
  }

  private subscriptionStart(): number {
    if (this.projections.length > 0) return this.progress.lowest();
    return this.reactors.lowestPosition() ?? 0;
  }

  private committed(advanced: readonly string[], last: number, events: number, now: string): void {
    this.progress.batchCommitted(advanced, last, events, now);
    this.reactors.notify();
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
