/**
 * Reactors: process managers that act on events (issue commands, call out) rather than build tables.
 * Each has its own checkpoint in the checkpoint table and is called once per event, in global order,
 * only after the projections' batch holding that event has committed. Delivery is at-least-once: a
 * crash between a reaction and its checkpoint write, or a reaction that throws, repeats the event, so
 * a reaction must be idempotent (commands with deterministic ids or idempotency keys).
 */

import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { RetryPolicy, retryDelay, Sleeper } from './backoff';
import type { Upcaster } from './upcaster';

export interface Reactor {
  /** Stable name; the key of its checkpoint. Must not clash with a projection's name. */
  readonly name: string;
  /** Event types it reacts to; every other event only moves its checkpoint. Omitted: every event. */
  readonly eventTypes?: readonly string[];
  /**
   * Reacts to one event. A rejection means "try again": the same event is retried with back-off and
   * nothing after it is delivered meanwhile. Business refusals that retrying cannot fix must be handled
   * (recorded, logged) inside and not thrown.
   */
  handle(event: RecordedEvent): Promise<void>;
}

export interface ReactorStatus {
  name: string;
  position: number;
  /** Failed attempts in a row on the current event; 0 when healthy. */
  failures: number;
  lastError: string | null;
}

export interface ReactorPumpDependencies {
  store: EventStore;
  upcast: Upcaster;
  /** Highest position whose projection batch has committed; the reactor never goes beyond it. */
  committedPosition(): number;
  saveCheckpoint(name: string, position: number): void;
  retry: RetryPolicy;
  pageSize: number;
  /** `event` is undefined when reading the log failed. */
  onError(error: unknown, event: RecordedEvent | undefined): void;
}

/** Reads the log after the reactor's checkpoint and feeds it one event at a time. */
export class ReactorPump {
  private stopping = false;
  private readonly sleeper = new Sleeper();
  private wakeRequested = false;
  private finished: Promise<void> | undefined;
  private failures = 0;
  private lastError: string | null = null;
  private readonly interestedIn: ReadonlySet<string> | undefined;

  constructor(
    readonly reactor: Reactor,
    private position: number,
    private readonly deps: ReactorPumpDependencies,
  ) {
    this.interestedIn = reactor.eventTypes === undefined ? undefined : new Set(reactor.eventTypes);
  }

  start(): void {
    this.finished ??= this.run();
  }

  /** The committed position moved: wake the loop if it is idle. */
  notify(): void {
    this.wakeRequested = true;
    this.sleeper.interrupt();
  }

  /** Resolves once no reaction is in flight; a reaction already running is awaited, not cut. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.interrupt();
    await this.finished;
  }

  status(): ReactorStatus {
    return { name: this.reactor.name, position: this.position, failures: this.failures, lastError: this.lastError };
  }

  private async run(): Promise<void> {
    await Promise.resolve();
    while (!this.stopping) {
      this.wakeRequested = false;
      const bound = this.deps.committedPosition();
      if (this.position >= bound) {
        if (!this.wakeRequested) await this.sleeper.sleep();
        continue;
      }
      let page: RecordedEvent[];
      try {
        page = await this.deps.store.readAll({ after: this.position, maxCount: this.deps.pageSize });
      } catch (error) {
        await this.pauseAfterFailure(error, undefined);
        continue;
      }
      if (page.length === 0) {
        if (!this.wakeRequested) await this.sleeper.sleep(this.deps.retry.maxDelayMs);
        continue;
      }
      try {
        await this.deliverPage(page, bound);
      } catch (error) {
        // Saving the checkpoint failed; the next save covers these events, and a restart before it repeats them.
        await this.pauseAfterFailure(error, undefined);
      }
    }
  }

  private async deliverPage(page: RecordedEvent[], bound: number): Promise<void> {
    let unsaved = false;
    for (const stored of page) {
      if (stored.position > bound || this.stopping) break;
      if (this.interestedIn === undefined || this.interestedIn.has(stored.type)) {
        if (!(await this.deliver(this.deps.upcast(stored)))) break;
        this.position = stored.position;
        this.deps.saveCheckpoint(this.reactor.name, this.position);
        unsaved = false;
      } else {
        this.position = stored.position;
        unsaved = true;
      }
    }
    if (unsaved) this.deps.saveCheckpoint(this.reactor.name, this.position);
  }

  /** True once the reaction succeeded; false when stopped before it could. */
  private async deliver(event: RecordedEvent): Promise<boolean> {
    while (!this.stopping) {
      try {
        await this.reactor.handle(event);
        this.failures = 0;
        this.lastError = null;
        return true;
      } catch (error) {
        await this.pauseAfterFailure(error, event);
      }
    }
    return false;
  }

  private async pauseAfterFailure(error: unknown, event: RecordedEvent | undefined): Promise<void> {
    this.failures++;
    this.lastError = error instanceof Error ? error.message : String(error);
    try {
      this.deps.onError(error, event);
    } catch {
      // A failing error hook must not stop the reactor.
    }
    if (!this.stopping) await this.sleeper.sleep(retryDelay(this.deps.retry, this.failures));
  }
}
