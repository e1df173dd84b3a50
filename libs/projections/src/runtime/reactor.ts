/**
 * Reactors: process managers that act on events (issue commands, call out) rather than build tables.
 * Each has its own checkpoint in the checkpoint table and reads the log after it itself, so it is called
 * once per event, in global order, whatever the projections are doing: a failing read model never holds
 * a reactor back, nor a reactor a read model. Delivery is at-least-once: a
 * crash between a reaction and its checkpoint write, or a passing failure, repeats the event, so a
 * reaction must be idempotent (commands with deterministic ids or idempotency keys).
 *
 * A reaction that fails permanently (see `reaction-failure.ts`) does not hold the reactor: the event is
 * parked with its reason, in the transaction that moves the checkpoint past it, and the next event is
 * delivered. A parked event can be delivered again on request (`redeliver`).
 */

import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { RetryPolicy, retryDelay, Sleeper } from './backoff';
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

/** Reads the log after the reactor's checkpoint and feeds it one event at a time. */
export class ReactorPump {
  private stopping = false;
  private readonly sleeper = new Sleeper();
  private wakeRequested = false;
  private finished: Promise<void> | undefined;
  private failures = 0;
  private lastError: string | null = null;
  private readonly interestedIn: ReadonlySet<string> | undefined;
  private readonly redeliveries = new Set<Promise<unknown>>();

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

  /** The log may have grown: wake the loop if it is idle. */
  notify(): void {
    this.wakeRequested = true;
    this.sleeper.interrupt();
  }

  /** Resolves once no reaction is in flight; a reaction already running is awaited, not cut. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.interrupt();
    await Promise.all([this.finished, ...[...this.redeliveries].map((run) => run.catch(() => undefined))]);
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

  private async run(): Promise<void> {
    await Promise.resolve();
    while (!this.stopping) {
      this.wakeRequested = false;
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
        await this.deliverPage(page);
      } catch (error) {
        // Saving the checkpoint or a park failed: the loop reads again from the last position it holds, so an
        // event whose checkpoint or park was not written is delivered again (reactions are idempotent).
        await this.pauseAfterFailure(error, undefined);
      }
    }
  }

  private async deliverPage(page: RecordedEvent[]): Promise<void> {
    let unsaved = false;
    for (const stored of page) {
      if (this.stopping) break;
      if (this.interestedIn === undefined || this.interestedIn.has(stored.type)) {
        const outcome = await this.deliver(this.deps.upcast(stored));
        if (outcome === 'stopped') break;
        if (outcome === 'handled') this.deps.saveCheckpoint(this.reactor.name, stored.position);
        // The park covers the events skipped before it: its transaction moves the checkpoint to this one.
        else this.deps.park(this.reactor.name, stored, outcome.refused);
        this.position = stored.position;
        unsaved = false;
      } else {
        this.position = stored.position;
        unsaved = true;
      }
    }
    if (unsaved) this.deps.saveCheckpoint(this.reactor.name, this.position);
  }

  /** Retries passing failures until the reaction succeeds, is refused for good, or the pump stops. */
  private async deliver(event: RecordedEvent): Promise<'handled' | 'stopped' | { refused: ReactionFailure }> {
    while (!this.stopping) {
      try {
        await this.reactor.handle(event);
        this.healthy();
        return 'handled';
      } catch (error) {
        if (this.deps.classify(error) === 'permanent') {
          this.healthy();
          return { refused: describeReactionFailure(error) };
        }
        await this.pauseAfterFailure(error, event);
      }
    }
    return 'stopped';
  }

  private healthy(): void {
    this.failures = 0;
    this.lastError = null;
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
