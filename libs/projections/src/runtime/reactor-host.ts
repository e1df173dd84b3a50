/**
 * The reactors of one projection engine: a pump per reactor with its checkpoint, the events they parked
 * and the retries of those. The engine decides when they start and stop; each reads the log after its own
 * checkpoint, woken by the subscription.
 */

import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { RetryPolicy } from './backoff';
import type { CheckpointTable } from './checkpoints';
import { ParkedEventRetries } from './parked-event-retry';
import { ParkedEvent, ParkedEventQuery, ParkedEventResolver, ParkedEventTable } from './parked-events';
import { classifyReactionFailure, ReactionFailure, ReactionFailureKind } from './reaction-failure';
import { Reactor, ReactorPump, ReactorStatus } from './reactor';
import type { Upcaster } from './upcaster';

/** A reactor's state: where it is, what it is retrying, and how many of its events wait parked. */
export interface ReactorReport extends ReactorStatus {
  /** Events this reactor parked that are not resolved yet. */
  parked: number;
  updatedAt: string | null;
}

export interface ReactorHostOptions {
  db: Database.Database;
  store: EventStore;
  upcast: Upcaster;
  /** The engine's checkpoint table; reactor rows have kind 'reactor'. */
  checkpoints: CheckpointTable;
  retry: RetryPolicy;
  pageSize: number;
  now(): string;
  /** Failures of reactions that the host knows to be passing. */
  isPassingFailure?: (error: unknown) => boolean;
  /** A passing failure, or a failure to read the log or save a checkpoint (`event` undefined then). */
  onFailure(error: unknown, reactor: string, event: RecordedEvent | undefined): void;
  onParked?: (parked: ParkedEvent) => void;
}

export class ReactorHost {
  private readonly pending: Reactor[] = [];
  private readonly pumps = new Map<string, ReactorPump>();
  private readonly parked: ParkedEventTable;
  private readonly retries: ParkedEventRetries;
  private readonly classify: (error: unknown) => ReactionFailureKind;
  private running = false;

  constructor(private readonly options: ReactorHostOptions) {
    this.classify = (error) => classifyReactionFailure(error, options.isPassingFailure);
    this.parked = new ParkedEventTable(options.db);
    this.retries = new ParkedEventRetries({
      table: this.parked,
      store: options.store,
      pumpOf: (name) => (this.running ? this.pumps.get(name) : undefined),
      classify: this.classify,
      now: options.now,
    });
  }

  /** Every reactor registered, pending or not. */
  names(): string[] {
    return [...this.pending.map((reactor) => reactor.name), ...this.pumps.keys()];
  }

  /** Keeps a reactor until `open` (the engine is not initialised yet). */
  register(reactor: Reactor): void {
    this.pending.push(reactor);
  }

  /** Inside the engine's initialising transaction: a checkpoint for every pending reactor. */
  ensurePendingCheckpoints(now: string): void {
    for (const reactor of this.pending) this.ensureCheckpoint(reactor, now);
  }

  /** After initialising: a pump per pending reactor, from its stored checkpoint. */
  open(): void {
    for (const reactor of this.pending.splice(0)) this.createPump(reactor);
  }

  /** A reactor registered once the engine is initialised: its pump starts at once if the others run. */
  add(reactor: Reactor): void {
    const pump = this.createPump(reactor);
    if (this.running) pump.start();
  }

  start(): void {
    this.running = true;
    for (const pump of this.pumps.values()) pump.start();
  }

  /** Resolves once no reaction nor retry of a parked event is in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.pumps.values()].map((pump) => pump.stop()));
    await this.retries.idle();
  }

  /** The subscription delivered new events. */
  notify(): void {
    for (const pump of this.pumps.values()) pump.notify();
  }

  /** Lowest reactor checkpoint; undefined without reactors. */
  lowestPosition(): number | undefined {
    const positions = [...this.pumps.values()].map((pump) => pump.status().position);
    return positions.length > 0 ? Math.min(...positions) : undefined;
  }

  status(): ReactorReport[] {
    const parked = this.parked.openCounts();
    return [...this.pumps.values()].map((pump) => {
      const status = pump.status();
      return { ...status, parked: parked.get(status.name) ?? 0, updatedAt: this.options.checkpoints.get(status.name)?.updatedAt ?? null };
    });
  }

  parkedEvents(query: ParkedEventQuery): ParkedEvent[] {
    return this.parked.list(query);
  }

  retryParkedEvent(parkedId: number, by: ParkedEventResolver): Promise<ParkedEvent> {
    return this.retries.retry(parkedId, by);
  }

  private ensureCheckpoint(reactor: Reactor, now: string): void {
    const { checkpoints } = this.options;
    const stored = checkpoints.get(reactor.name);
    if (stored === undefined) {
      checkpoints.insert({ name: reactor.name, kind: 'reactor', version: 1, position: 0, updatedAt: now });
    } else if (stored.kind !== 'reactor') {
      throw new Error(`${reactor.name} is stored as a ${stored.kind}, not a reactor`);
    }
  }

  private createPump(reactor: Reactor): ReactorPump {
    const { db, checkpoints, now } = this.options;
    db.transaction(() => this.ensureCheckpoint(reactor, now())).immediate();
    const pump = new ReactorPump(reactor, checkpoints.get(reactor.name)!.position, {
      store: this.options.store,
      upcast: this.options.upcast,
      saveCheckpoint: (name, position) => checkpoints.advance(name, position, now()),
      classify: this.classify,
      park: (name, event, failure) => this.park(name, event, failure),
      retry: this.options.retry,
      pageSize: this.options.pageSize,
      onError: (error, event) => this.options.onFailure(error, reactor.name, event),
    });
    this.pumps.set(reactor.name, pump);
    return pump;
  }

  /** The park and the checkpoint past the event commit together or not at all. */
  private park(name: string, event: RecordedEvent, failure: ReactionFailure): void {
    const at = this.options.now();
    const parkedId = this.options.db
      .transaction(() => {
        const id = this.parked.park(name, event, failure, at);
        this.options.checkpoints.advance(name, event.position, at);
        return id;
      })
      .immediate();
    const parked = this.parked.get(parkedId);
    if (parked === undefined) return;
    try {
      this.options.onParked?.(parked);
    } catch {
      // A failing hook must not undo nor repeat a park that committed.
    }
  }
}
