/**
 * Reactors: process managers that act on events (issue commands, call out) rather than build tables.
 * Each has its own checkpoint in the checkpoint table and reads the log after it itself, so it is called
 * once per event, in global order, whatever the projections are doing: a failing read model never holds
 * a reactor back, nor a reactor a read model. Delivery is at-least-once: a
 * crash between a reaction and its checkpoint write, or a passing failure, repeats the event, so a
 * reaction must be idempotent (commands with deterministic ids or idempotency keys).
 *
 * The pump runs the processors' one catch-up loop (`processor-loop.ts`) after the reactor's checkpoint: a
 * passing failure ends the page at the event that failed, and the loop reads the log again from there once
 * the shared back-off has passed, so that event is delivered again before any after it.
 *
 * A reaction that fails permanently (see `reaction-failure.ts`) does not hold the reactor: the event is
 * parked with its reason, in the transaction that moves the checkpoint past it, and the next event is
 * delivered. A parked event can be delivered again on request (`redeliver`).
 */

import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { RetryPolicy } from './backoff';
import { ProcessorLoop, type ReadPlan } from './processor-loop';
import { describeReactionFailure, ReactionFailure, ReactionFailureKind } from './reaction-failure';
import type { Upcaster } from './upcaster';

export interface Reactor {
  /** Stable name; the key of its checkpoint. Must not clash with a projection's name. */
  readonly name: string;
  /** Event types it reacts to; every other event only moves its checkpoint. Omitted: every event. */
  readonly eventTypes?: readonly string[];
  /**
   * Reacts to one event. A passing failure (store unavailable) is retried with back-off, holding back
   * the events after it; any other rejection parks the event and the reactor moves on. A parked event
   * may be handed again (a support retry) while the reactor handles newer ones.
   */
  handle(event: RecordedEvent): Promise<void>;
}

export interface ReactorStatus {
  name: string;
  position: number;
  /** Passing failures in a row on the current event; 0 when healthy. */
  failures: number;
  lastError: string | null;
}

/**
 * Longest a reactor's stored checkpoint trails the events it has handled. Reactions are idempotent, so a
 * checkpoint written once per interval rather than once per event only means that a crash repeats at most
 * this much of the log; a write per event took a tenth of the main thread under load.
 */
export const REACTOR_CHECKPOINT_INTERVAL_MS = 200;

/** A redelivery was asked of a reactor that is stopping. */
export class ReactorStoppedError extends Error {
  constructor(readonly reactor: string) {
    super(`The reactor ${reactor} is stopping`);
    this.name = 'ReactorStoppedError';
  }
}

export interface ReactorPumpDependencies {
  store: EventStore;
  upcast: Upcaster;
  saveCheckpoint(name: string, position: number): void;
  /** Whether waiting may fix a failed reaction. */
  classify(error: unknown): ReactionFailureKind;
  /** Records the permanent refusal of `event` and moves the checkpoint to it, in one transaction. */
  park(name: string, event: RecordedEvent, failure: ReactionFailure): void;
  retry: RetryPolicy;
  pageSize: number;
  /** `event` is undefined when reading the log failed. */
  onError(error: unknown, event: RecordedEvent | undefined): void;
}

/** A reaction failed in a way that waiting may fix: the page ends at `event`, which the loop delivers again. */
class PassingReactionFailure {
  constructor(
    readonly cause: unknown,
    readonly event: RecordedEvent,
  ) {}
}

/** Reads the log after the reactor's checkpoint and feeds it one event at a time. */
export class ReactorPump {
  private stopping = false;
  private readonly loop: ProcessorLoop<ReadPlan>;
  private failures = 0;
  private lastError: string | null = null;
  private readonly interestedIn: ReadonlySet<string> | undefined;
  private readonly redeliveries = new Set<Promise<unknown>>();
  /** The position the checkpoint table holds for this reactor. */
  private savedPosition: number;
  private savedAt = Number.NEGATIVE_INFINITY;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly reactor: Reactor,
    private position: number,
    private readonly deps: ReactorPumpDependencies,
  ) {
    this.savedPosition = position;
    this.interestedIn = reactor.eventTypes === undefined ? undefined : new Set(reactor.eventTypes);
    const { store, pageSize, retry } = deps;
    // Saving a checkpoint or a park that fails also ends the page: the loop reads again from the last position
    // the pump holds, so an event whose checkpoint or park was not written is delivered again (reactions are
    // idempotent).
    this.loop = new ProcessorLoop(
      { store, pageSize, retry, idleMs: retry.maxDelayMs },
      {
        next: () => ({ read: { after: this.position } }),
        consume: (page) => this.deliverPage(page),
        failed: (error, failures) => this.failed(error, failures),
      },
    );
  }

  start(): void {
    if (!this.stopping) this.loop.start();
  }

  /** The log may have grown: wake the loop if it is idle. */
  notify(): void {
    this.loop.wake();
  }

  /** Resolves once no reaction is in flight; a reaction already running is awaited, not cut. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.loop.stop(), ...[...this.redeliveries].map((run) => run.catch(() => undefined))]);
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    try {
      this.saveCheckpoint();
    } catch (error) {
      this.reportError(error);
    }
  }

  /**
   * Hands a parked event to the reactor again, now, beside the loop; rejects with the reaction's error.
   * The checkpoint is not touched: it moved past the event when it was parked.
   */
  async redeliver(event: RecordedEvent): Promise<void> {
    if (this.stopping) throw new ReactorStoppedError(this.reactor.name);
    const run = this.reactor.handle(this.deps.upcast(event));
    this.redeliveries.add(run);
    try {
      await run;
    } finally {
      this.redeliveries.delete(run);
    }
  }

  status(): ReactorStatus {
    return { name: this.reactor.name, position: this.position, failures: this.failures, lastError: this.lastError };
  }

  private async deliverPage(page: readonly RecordedEvent[]): Promise<void> {
    let failure: unknown;
    try {
      for (const stored of page) {
        if (this.stopping) break;
        if (this.interestedIn === undefined || this.interestedIn.has(stored.type)) {
          const refused = await this.react(this.deps.upcast(stored));
          if (refused !== undefined) {
            // The park covers the events handled before it: its transaction moves the checkpoint to this one.
            this.deps.park(this.reactor.name, stored, refused);
            this.saved(stored.position);
          }
          this.position = stored.position;
          this.healthy();
        } else {
          this.position = stored.position;
        }
      }
    } catch (error) {
      failure = error;
    }
    this.checkpointSoon();
    if (failure !== undefined) throw failure;
  }

  /**
   * Writes the checkpoint now if the last write is older than the interval, or once the interval has passed.
   * A write that fails here ends the page and the loop reads again from the stored checkpoint, so the events
   * it would have covered are delivered again (reactions are idempotent).
   */
  private checkpointSoon(): void {
    if (this.position === this.savedPosition || this.saveTimer !== undefined) return;
    const wait = this.savedAt + REACTOR_CHECKPOINT_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.saveTimer = setTimeout(() => this.saveLater(), wait);
      this.saveTimer.unref();
      return;
    }
    try {
      this.saveCheckpoint();
    } catch (error) {
      this.position = this.savedPosition;
      throw error;
    }
  }

  /** From the timer: a failed write is told and tried again after the interval; the handled events stay handled. */
  private saveLater(): void {
    this.saveTimer = undefined;
    if (this.stopping) return;
    try {
      this.saveCheckpoint();
    } catch (error) {
      this.reportError(error);
      this.saveTimer = setTimeout(() => this.saveLater(), REACTOR_CHECKPOINT_INTERVAL_MS);
      this.saveTimer.unref();
    }
  }

  private saveCheckpoint(): void {
    if (this.position === this.savedPosition) return;
    const position = this.position;
    this.deps.saveCheckpoint(this.reactor.name, position);
    this.saved(position);
  }

  private saved(position: number): void {
    this.savedPosition = position;
    this.savedAt = performance.now();
  }

  private reportError(error: unknown): void {
    try {
      this.deps.onError(error, undefined);
    } catch {
      // A failing error hook must not stop the reactor.
    }
  }

  /** Resolves once handled (undefined) or refused for good (why); a passing failure rejects, ending the page. */
  private async react(event: RecordedEvent): Promise<ReactionFailure | undefined> {
    try {
      await this.reactor.handle(event);
      return undefined;
    } catch (error) {
      if (this.deps.classify(error) === 'permanent') return describeReactionFailure(error);
      throw new PassingReactionFailure(error, event);
    }
  }

  /** An event was handled or parked: the failures in a row counted so far were another event's. */
  private healthy(): void {
    this.failures = 0;
    this.lastError = null;
    this.loop.progressed();
  }

  private failed(error: unknown, failures: number): void {
    const [cause, event] = error instanceof PassingReactionFailure ? [error.cause, error.event] : [error, undefined];
    this.failures = failures;
    this.lastError = cause instanceof Error ? cause.message : String(cause);
    try {
      this.deps.onError(cause, event);
    } catch {
      // A failing error hook must not stop the reactor.
    }
  }
}
