import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { EVENT_STORE, EventStore, EventStoreUnavailableError } from '@escrow/event-store/port';
import type { ProjectionReader, ProjectionStatus } from '@escrow/projections/projection';
import { PROJECTIONS } from '@escrow/projections/registry';
import { PassiveProjectionReader } from '@escrow/projections/runtime/passive-projection-reader';
import { ProjectionEngine, ProjectionEngineErrorSource, WaitOptions } from '@escrow/projections/runtime/projection-engine';
import type { Reactor, ReactorStatus } from '@escrow/projections/runtime/reactor';
import { openReadModelDatabase, readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { assertReadModelsMatchStore } from '@escrow/projections/runtime/store-binding';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * The read models of this process. With `PROJECTIONS=embedded` it runs the projection engine (and the
 * reactors registered with it) from application bootstrap to shutdown; with `off` it only reads tables
 * that another process keeps up to date, and waits for positions by polling their checkpoints.
 */
@Injectable()
export class ProjectionRuntime implements ProjectionReader, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly db: Database.Database;
  private engine: ProjectionEngine | undefined;
  private passive: PassiveProjectionReader | undefined;
  private readonly reactors: Reactor[] = [];
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.db = openReadModelDatabase(readModelDatabaseFile(config.dataDir));
  }

  /**
   * Registers a process manager. Call it before the application has started (from a constructor or
   * onModuleInit); a reactor added later starts at once. Reactors only run where projections are embedded.
   */
  addReactor(reactor: Reactor): void {
    if (this.engine) this.engine.addReactor(reactor);
    else this.reactors.push(reactor);
  }

  async onApplicationBootstrap(): Promise<void> {
    const store = this.store;
    const storeId = await this.verifyStoreBinding();
    if (this.config.projections === 'embedded') {
      this.engine = new ProjectionEngine({
        store,
        storeId,
        db: this.db,
        projections: PROJECTIONS,
        reactors: this.reactors,
        onError: (error, source) => this.reportFailure(error, source),
      });
      await this.engine.start();
      this.logger.log(`Projections running: ${this.engine.projectionNames.join(', ')}`);
    } else {
      this.passive = new PassiveProjectionReader(this.db, store, PROJECTIONS);
      if (this.reactors.length > 0) {
        this.logger.warn(`Projections are off in this process: reactors ${this.reactors.map((r) => r.name).join(', ')} do not run here`);
      }
    }
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

  /** Since when the read models have been failing to apply events (a full disk, say); undefined while they keep up. */
  failingSince(): string | undefined {
    return this.engine?.failingSince;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the store closes: the last batch commits (or rolls back) whole.
    await this.engine?.stop();
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
    return (this.engine ?? this.passive ?? this.unavailable()).positionOf(name);
  }

  reactorStatus(): ReactorStatus[] {
    return this.engine?.reactorStatus() ?? [];
  }

  private reader(): ProjectionReader {
    return this.engine ?? this.passive ?? this.unavailable();
  }

  private unavailable(): never {
    throw new Error('The read models are not open yet: the application has not finished starting');
  }

  private reportFailure(error: unknown, source: ProjectionEngineErrorSource): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (source.kind === 'subscription') {
      this.logger.error(`A projection batch failed; it will be retried: ${message}`);
    } else {
      const where = source.event ? ` at ${source.event.type} (position ${source.event.position})` : '';
      this.logger.warn(`Reactor ${source.reactor} failed${where}; it will be retried: ${message}`);
    }
  }
}
