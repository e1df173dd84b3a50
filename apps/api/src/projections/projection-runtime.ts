import {
  BeforeApplicationShutdown,
  HttpException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type Database from 'better-sqlite3';
import { CLOCK, Clock } from '@escrow/clock';
import { EVENT_STORE, EventStore, EventStoreUnavailableError } from '@escrow/event-store/port';
import type { ProjectionReader, ProjectionStatus } from '@escrow/projections/projection';
import { PROJECTIONS } from '@escrow/projections/registry';
import { CheckpointTable } from '@escrow/projections/runtime/checkpoints';
import { ParkedEventNotFoundError, ParkedEventResolvedError, ReactorNotRunningError } from '@escrow/projections/runtime/parked-event-retry';
import { ParkedEvent, ParkedEventQuery, ParkedEventResolver, ParkedEventTable } from '@escrow/projections/runtime/parked-events';
import { PassiveProjectionReader } from '@escrow/projections/runtime/passive-projection-reader';
import type { ProjectionFailure } from '@escrow/projections/runtime/projection-failures';
import { ProjectionEngine, ProjectionEngineErrorSource, WaitOptions } from '@escrow/projections/runtime/projection-engine';
import type { Reactor } from '@escrow/projections/runtime/reactor';
import type { ReactorReport } from '@escrow/projections/runtime/reactor-host';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { assertReadModelsMatchStore } from '@escrow/projections/runtime/store-binding';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemError } from '../http/problem';
import { ProcessorsThread } from './processors-thread';

/** A reactor as this process sees it: running here, or only known from its checkpoint (ROLE=api: it runs elsewhere). */
export interface ReactorState extends ReactorReport {
  running: boolean;
}

/**
 * The service's own "not now" answers (503 store unavailable, 5xx) raised inside a reaction: waiting may
 * fix them, so the event is retried rather than parked. Every 4xx is a refusal and parks it.
 */
export const isPassingAnswer = (error: unknown): boolean =>
  (error instanceof ProblemError && error.status >= 500) || (error instanceof HttpException && error.getStatus() >= 500);

/**
 * The read models of this process. Where the role runs the processors (`ROLE=all` or `processors`) it runs
 * the projection engine (the projections and the reactors registered with it) from application bootstrap
 * to shutdown; with PROCESSORS_THREAD=worker the projections run on a worker thread instead
 * (`processors-thread.ts`), woken by each commit of the store, and this thread's engine runs only the
 * reactors, which issue commands through this thread's pipeline. With `ROLE=api` (or `PROJECTIONS=off`) it
 * only reads tables that another process keeps up to date, and waits for positions by polling their checkpoints.
 */
@Injectable()
export class ProjectionRuntime implements ProjectionReader, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly db: Database.Database;
  private engine: ProjectionEngine | undefined;
  private passive: PassiveProjectionReader | undefined;
  /** PROCESSORS_THREAD=worker: the projections run on their own thread; `engine` runs only the reactors. */
  private thread: ProcessorsThread | undefined;
  private readonly reactors: Reactor[] = [];
  private readonly logListeners: (() => void)[] = [];
  private readonly logger = new Logger('Projections');
  private readonly parked: ParkedEventTable;
  private readonly checkpoints: CheckpointTable;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = openReadModelDatabase(readModelDatabaseFile(config.dataDir));
    this.parked = new ParkedEventTable(this.db);
    this.checkpoints = new CheckpointTable(this.db);
  }

  /**
   * Registers a process manager. Call it before the application has started (from a constructor or
   * onModuleInit); a reactor added later starts at once. Reactors only run where the role runs the processors.
   */
  addReactor(reactor: Reactor): void {
    if (this.engine) this.engine.addReactor(reactor);
    else this.reactors.push(reactor);
  }

  /**
   * Called whenever the projections have applied a batch of new events (only where the processors run): wakes
   * a processor kept elsewhere, which may read the log or the read models.
   */
  onLogGrew(listener: () => void): void {
    this.logListeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    const storeId = await this.verifyStoreBinding();
    if (this.config.role === 'api') {
      this.passive = new PassiveProjectionReader(this.db, this.store, PROJECTIONS);
      if (this.reactors.length > 0) {
        this.logger.warn(`ROLE=api: the processors do not run in this process (reactors ${this.reactors.map((r) => r.name).join(', ')} neither)`);
      }
      return;
    }
    const onThread = this.config.processorsThread === 'worker';
    if (onThread) await this.startThread(storeId);
    this.engine = new ProjectionEngine({
      store: this.store,
      storeId,
      db: this.db,
      // The reactors issue commands through this thread's pipeline, so they run here either way.
      projections: onThread ? [] : PROJECTIONS,
      reactors: this.reactors,
      subscribe: !onThread,
      clock: () => this.clock.now(),
      onError: (error, source) => this.reportFailure(describe(error), source),
      isPassingFailure: isPassingAnswer,
      onParked: (parked) => this.reportParked(parked),
      onDelivered: () => this.tellLogListeners(),
    });
    await this.engine.start();
    if (onThread) {
      this.store.observeCommits?.((commit) => {
        if (commit.committed) this.logGrew();
      });
    }
    const names = [...PROJECTIONS.map((p) => p.name + (onThread ? ' (worker thread)' : '')), ...this.reactors.map((r) => r.name)];
    this.logger.log(`Processors running (ROLE=${this.config.role}): ${names.join(', ')}`);
  }

  private async startThread(storeId: string | undefined): Promise<void> {
    this.thread = new ProcessorsThread({
      db: this.db,
      store: this.store,
      projections: PROJECTIONS,
      dataDir: this.config.dataDir,
      readModelFile: readModelDatabaseFile(this.config.dataDir),
      storeId,
      now: () => this.clock.now(),
      onFailure: (source, message) => this.reportFailure(message, source),
      onDied: (reason, restartInMs) =>
        this.logger.error(`The projections' thread stopped; the read models fall behind until it is started again in ${restartInMs} ms: ${reason}`),
      onRestarted: () => this.logger.log("The projections' thread runs again and catches up"),
      onDelivered: () => this.tellLogListeners(),
    });
    await this.thread.start();
  }

  /** The store committed: the reactors here and the projections' thread read the log. */
  private logGrew(): void {
    this.engine?.logGrew();
    this.thread?.logGrew();
  }

  private tellLogListeners(): void {
    for (const listener of this.logListeners) listener();
  }

  /**
   * Refuses to start on a log the read models were not built from (see store-binding.ts). A store that
   * does not answer yet (EventStoreDB still coming up) cannot be checked: the service starts, says so,
   * and new checkpoints are bound to the store by the next start.
   */
  private async verifyStoreBinding(): Promise<string | undefined> {
    try {
      return await assertReadModelsMatchStore(this.db, this.store);
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError)) throw error;
      this.logger.warn(`The event store did not answer at start; the read models were not checked against it: ${error.message}`);
      return undefined;
    }
  }

  /**
   * Since when a read model has been failing to apply events (a full disk, a handler that throws), the longest
   * failing if several; undefined while they all keep up.
   */
  failingSince(): string | undefined {
    const since = [this.engine?.failingSince, this.thread?.failingSince()].filter((at): at is string => at !== undefined);
    return since.length === 0 ? undefined : since.sort()[0];
  }

  /** The projections running here whose last transaction failed; each is retried on its own. */
  projectionFailures(): ProjectionFailure[] {
    return this.thread?.projectionFailures() ?? this.engine?.projectionFailures() ?? [];
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the store closes: the last batch commits (or rolls back) whole.
    await this.engine?.stop();
    await this.thread?.stop();
  }

  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }

  waitFor(position: number, options?: WaitOptions): Promise<boolean> {
    return this.reader().waitFor(position, options);
  }

  status(): Promise<ProjectionStatus[]> {
    return this.reader().status();
  }

  /** Checkpoint of one projection right now. */
  positionOf(name: string): number {
    return this.reader().positionOf(name);
  }

  /**
   * Every reactor: those running here with their live state, and those known only from their checkpoint
   * (run by another process) with their position and parked events.
   */
  reactorStatus(): ReactorState[] {
    const running = (this.engine?.reactorStatus() ?? []).map((report) => ({ ...report, running: true }));
    const runningNames = new Set(running.map((report) => report.name));
    const parked = this.parked.openCounts();
    const elsewhere = this.checkpoints
      .all()
      .filter((checkpoint) => checkpoint.kind === 'reactor' && !runningNames.has(checkpoint.name))
      .map(({ name, position, updatedAt }) => ({ name, position, updatedAt, failures: 0, lastError: null, parked: parked.get(name) ?? 0, running: false }));
    return [...running, ...elsewhere];
  }

  /** Events the reactors parked (read from the table, so also where reactors do not run). */
  parkedEvents(query: ParkedEventQuery): ParkedEvent[] {
    return this.parked.list(query);
  }

  /** How many parked events wait for support, every reactor together. */
  parkedEventCount(): number {
    let count = 0;
    for (const parked of this.parked.openCounts().values()) count += parked;
    return count;
  }

  /** Delivers a parked event to its reactor again; only where the reactors run. */
  retryParkedEvent(parkedId: number, by: ParkedEventResolver): Promise<ParkedEvent> {
    if (this.engine !== undefined) return this.engine.retryParkedEvent(parkedId, by);
    const parked = this.parked.get(parkedId);
    if (parked === undefined) return Promise.reject(new ParkedEventNotFoundError(parkedId));
    if (parked.status === 'resolved') return Promise.reject(new ParkedEventResolvedError(parked));
    return Promise.reject(new ReactorNotRunningError(parked.reactor));
  }

  private reader(): ProjectionReader & { positionOf(name: string): number } {
    return this.thread ?? this.engine ?? this.passive ?? this.unavailable();
  }

  private unavailable(): never {
    throw new Error('The read models are not open yet: the application has not finished starting');
  }

  private reportParked(parked: ParkedEvent): void {
    const { event, error } = parked;
    this.logger.error(
      `Reactor ${parked.reactor} refused ${event.type} ${event.id} (position ${event.position}, stream ${event.streamId}) and parked it as ${parked.parkedId}: ${error.code} ${error.message}`,
    );
  }

  private reportFailure(message: string, source: ProjectionEngineErrorSource): void {
    if (source.kind === 'subscription' || source.kind === 'catch-up') {
      this.logger.error(`Reading the event log for the projections failed; it will be retried: ${message}`);
    } else if (source.kind === 'projection') {
      this.logger.error(`Projection ${source.projection} failed to apply a batch; it alone waits and is retried: ${message}`);
    } else {
      const where = source.event ? ` at ${source.event.type} (position ${source.event.position})` : '';
      this.logger.warn(`Reactor ${source.reactor} failed${where}; it will be retried: ${message}`);
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
