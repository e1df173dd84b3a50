/**
 * Runs the projections and the reactors as processors of the event store's global log, each with its own
 * checkpoint, failures isolated per processor.
 *
 * - ONE subscription to the store's log, from the lowest projection checkpoint (`projection-subscription.ts`),
 *   hands each batch to every projection in step with it; each projection applies it in a `BEGIN IMMEDIATE`
 *   transaction of its own that also moves its checkpoint, so a crash or a throwing handler never loses nor
 *   doubles an event, and rolls back only that projection (`projection-batches.ts`).
 * - A projection that throws waits out the shared back-off and is then fed by ONE catch-up loop that reads
 *   the log after its checkpoint, as is a projection rebuilt or moved back by another process, until it is
 *   in step again (`projection-processors.ts`, `projection-failures.ts`). The others never wait for it.
 *   The reactors each run the same loop (`processor-loop.ts`) after their own checkpoints.
 * - Each projection is handed only the events after its own checkpoint, read from the table inside its
 *   transaction, so a checkpoint moved by another process is honoured rather than overwritten.
 * - A projection whose stored version differs from its code is dropped and rebuilt from position zero
 *   on start (`projection-tables.ts`).
 * - Events reach handlers only from the store's log (never from an in-process publish after an append) and
 *   pass through the upcaster first.
 * - A projection may hold writes back during a batch (`prepareBatch`): its `flush` runs at the end of
 *   the batch, inside the transaction, before its checkpoint moves.
 * - A handler is prepared again after its transaction rolled back, and when another process moved its
 *   checkpoint, so that anything it keeps in memory between events only ever mirrors committed rows.
 * - Without a subscription (`catchUp`, `rebuild` of an engine not started, i.e. the rebuild tool) the
 *   engine reads the log itself, in small pages, and applies many pages per transaction (`log-catch-up.ts`).
 * - Waiting for a position and the projections' status answer from the committed checkpoints
 *   (`projection-progress.ts`).
 * - Reactors (process managers) read the log after their own checkpoints, woken by the subscription, and
 *   never wait for the projections (`reactor.ts`, `reactor-host.ts`); what they refuse for good is parked
 *   (`parked-events.ts`) and can be retried (`retryParkedEvent`).
 */

import { systemClock } from '@escrow/clock';
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { EventStore } from '@escrow/event-store/port';
import type { Projection, ProjectionReader, ProjectionStatus } from '../projection';
import { assertRetryPolicy, DEFAULT_RETRY_POLICY } from './backoff';
import { CheckpointTable } from './checkpoints';
import { DEFAULT_CATCH_UP_BATCH_SIZE, DEFAULT_CATCH_UP_PAGE_SIZE, LogCatchUp } from './log-catch-up';
import type { ParkedEvent, ParkedEventQuery, ParkedEventResolver } from './parked-events';
import { ProjectionBatches } from './projection-batches';
import { ProjectionFailure, ProjectionFailures } from './projection-failures';
import { ProjectionProcessors } from './projection-processors';
import { ProjectionProgress, WaitOptions } from './projection-progress';
import { DEFAULT_PROJECTION_BATCH_SIZE, ProjectionSubscription } from './projection-subscription';
import { assertProjectionDefinition, ProjectionTables } from './projection-tables';
import type { Reactor } from './reactor';
import { ReactorHost, ReactorReport } from './reactor-host';
import { registryUpcaster } from './upcaster';
import { DEFAULT_REACTOR_PAGE_SIZE, ProjectionEngineErrorSource, ProjectionEngineOptions, RebuildReport } from './projection-engine-options';

// Callers take the engine's whole surface from this file; these live with the code they are about.
export { DEFAULT_CATCH_UP_BATCH_SIZE, DEFAULT_CATCH_UP_PAGE_SIZE } from './log-catch-up';
export { CheckpointMovedError } from './projection-batches';
export { DEFAULT_WAIT_TIMEOUT_MS } from './projection-progress';
export type { WaitOptions } from './projection-progress';
export { DEFAULT_PROJECTION_BATCH_SIZE } from './projection-subscription';

export { DEFAULT_REACTOR_PAGE_SIZE } from './projection-engine-options';
export type { ProjectionEngineErrorSource, ProjectionEngineOptions, RebuildReport, RebuiltProjection } from './projection-engine-options';

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
  private readonly failures: ProjectionFailures;
  private readonly processors: ProjectionProcessors;

  private state: EngineState = 'idle';
  private exclusive: Promise<unknown> = Promise.resolve();
  private lastFailure: unknown;
  private readonly subscribes: boolean;

  constructor(options: ProjectionEngineOptions) {
    this.db = options.db;
    this.store = options.store;
    this.projections = [...options.projections];
    const upcast = options.upcast ?? registryUpcaster;
    const batchSize = positiveInteger('batchSize', options.batchSize, DEFAULT_PROJECTION_BATCH_SIZE);
    const catchUpBatchSize = positiveInteger('catchUpBatchSize', options.catchUpBatchSize, DEFAULT_CATCH_UP_BATCH_SIZE);
    const catchUpPageSize = positiveInteger('catchUpPageSize', options.catchUpPageSize, DEFAULT_CATCH_UP_PAGE_SIZE);
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    assertRetryPolicy(retry);
    this.clock = options.clock ?? systemClock.now;
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
    this.subscribes = options.subscribe ?? true;
    this.progress = new ProjectionProgress(this.projections, this.checkpoints, () => this.state !== 'idle', options.onCommitted);
    this.batches = new ProjectionBatches({
      db: this.db,
      projections: this.projections,
      checkpoints: this.checkpoints,
      upcast,
      committedPositionOf: (name) => this.progress.of(name),
    });
    this.failures = new ProjectionFailures(retry);
    this.processors = new ProjectionProcessors({
      store: this.store,
      projections: this.projections,
      batches: this.batches,
      progress: this.progress,
      failures: this.failures,
      pageSize: batchSize,
      retry,
      now: () => this.now(),
      onFailure: (error, projection) => {
        this.lastFailure = error;
        this.report(error, projection === undefined ? { kind: 'catch-up' } : { kind: 'projection', projection });
      },
    });
    this.logCatchUp = new LogCatchUp({
      db: this.db,
      store: this.store,
      batches: this.batches,
      batchSize: catchUpBatchSize,
      pageSize: catchUpPageSize,
      committed: (advanced, last, events, now) => {
        this.progress.committed(advanced, last, now);
        this.progress.countRead(events);
      },
      now: () => this.now(),
    });
    this.subscription = new ProjectionSubscription({
      store: this.store,
      batchSize,
      retry,
      start: () => this.processors.subscriptionPosition,
      applyBatch: (events) => {
        this.processors.delivered(events);
        this.reactors.notify();
        options.onDelivered?.();
      },
      isRunning: () => this.state === 'running',
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

  /** The last failure of the subscription, a projection or a reactor, for health reports; undefined when none yet. */
  get lastError(): unknown {
    return this.lastFailure;
  }

  /**
   * Since when a projection or the subscription has been failing (the longest failing, if several);
   * undefined while every projection keeps up.
   */
  get failingSince(): string | undefined {
    const since = [this.subscription.failingSince, this.failures.earliestFailingSince()].filter((at): at is string => at !== undefined);
    return since.length === 0 ? undefined : since.sort()[0];
  }

  /** The projections whose last transaction failed, with their failures in a row and last error. */
  projectionFailures(): ProjectionFailure[] {
    return this.failures.list();
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
    this.processors.start(this.subscriptionStart());
    if (this.subscribes) this.subscription.open();
    this.reactors.start();
  }

  /** The log may have grown (an engine that does not subscribe is told so by its host): the reactors and the catch-up loop look. */
  logGrew(): void {
    if (this.state !== 'running') return;
    this.processors.wake();
    this.reactors.notify();
  }

  /** Stops the subscription, the catch-up loop and the reactors; resolves once no batch nor reaction is in flight. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.subscription.close();
    await this.processors.stop();
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
   * log again up to at least the head at the time of the call. Works on a running engine (the catch-up
   * loop feeds them from zero while the others go on) and on one that is not started (the log is read
   * directly, as by `catchUp`).
   */
  rebuild(names?: readonly string[]): Promise<RebuildReport> {
    return this.serialised(async () => {
      const selected = this.progress.resolveNames(names);
      if (this.state === 'stopped') throw new Error('The projection engine is stopped');
      this.initialise();
      const running = this.state === 'running';
      const startedAt = performance.now();
      const eventsBefore = this.progress.eventsRead;
      const targetPosition = await this.store.headPosition();
      const previous = new Map(selected.map((name) => [name, this.progress.of(name)]));
      this.reset(selected);
      if (running) {
        this.processors.wake();
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
      this.failures.recovered(name);
      // The tables are new: statements prepared against the old ones are not reused.
      this.batches.prepareHandler(this.projectionsByName.get(name)!);
    }
  }

  private subscriptionStart(): number {
    if (this.projections.length > 0) return this.progress.lowest();
    return this.reactors.lowestPosition() ?? 0;
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
