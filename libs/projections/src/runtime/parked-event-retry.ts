/**
 * A support retry of a parked event: the event is read from the log again and handed to its reactor
 * now. On success the park is resolved with who retried it and when; on a new permanent refusal it
 * stays parked with the new reason; a passing failure is thrown to the caller and changes nothing.
 * Retries of one parked event run one after the other, so a double click delivers it once.
 */

import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { ParkedEvent, ParkedEventResolver, ParkedEventTable } from './parked-events';
import { describeReactionFailure, ReactionFailureKind } from './reaction-failure';
import { ReactorPump, ReactorStoppedError } from './reactor';

export class ParkedEventNotFoundError extends Error {
  constructor(readonly parkedId: number) {
    super(`No parked event ${parkedId}`);
    this.name = 'ParkedEventNotFoundError';
  }
}

export class ParkedEventResolvedError extends Error {
  constructor(readonly parked: ParkedEvent) {
    super(`Parked event ${parked.parkedId} was already resolved at ${parked.resolvedAt} by ${parked.resolvedBy?.id ?? 'unknown'}`);
    this.name = 'ParkedEventResolvedError';
  }
}

/** The reactor of a parked event does not run in this process (projections off, or no longer registered). */
export class ReactorNotRunningError extends Error {
  constructor(readonly reactor: string) {
    super(`The reactor ${reactor} does not run in this process`);
    this.name = 'ReactorNotRunningError';
  }
}

/** The log no longer holds the parked event at its position (a restored or foreign log). */
export class ParkedEventNotInLogError extends Error {
  constructor(readonly parked: ParkedEvent) {
    super(`The event ${parked.event.id} is no longer at position ${parked.event.position} of the log`);
    this.name = 'ParkedEventNotInLogError';
  }
}

export interface ParkedEventRetryDependencies {
  table: ParkedEventTable;
  store: EventStore;
  pumpOf(reactor: string): ReactorPump | undefined;
  classify(error: unknown): ReactionFailureKind;
  now(): string;
}

export class ParkedEventRetries {
  private readonly inFlight = new Map<number, Promise<unknown>>();

  constructor(private readonly deps: ParkedEventRetryDependencies) {}

  /** Resolves with the parked event after the retry: `resolved`, or still `parked` with the new reason. */
  retry(parkedId: number, by: ParkedEventResolver): Promise<ParkedEvent> {
    const previous = this.inFlight.get(parkedId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.retryNow(parkedId, by));
    this.inFlight.set(parkedId, run);
    const forget = () => {
      if (this.inFlight.get(parkedId) === run) this.inFlight.delete(parkedId);
    };
    run.then(forget, forget);
    return run;
  }

  /** Resolves once no retry is in flight (for a clean stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight.values()].map((run) => run.catch(() => undefined)));
  }

  private async retryNow(parkedId: number, by: ParkedEventResolver): Promise<ParkedEvent> {
    const { table } = this.deps;
    const parked = table.get(parkedId);
    if (parked === undefined) throw new ParkedEventNotFoundError(parkedId);
    if (parked.status === 'resolved') throw new ParkedEventResolvedError(parked);
    const pump = this.deps.pumpOf(parked.reactor);
    if (pump === undefined) throw new ReactorNotRunningError(parked.reactor);
    const event = await this.eventOf(parked);
    try {
      await pump.redeliver(event);
    } catch (error) {
      if (error instanceof ReactorStoppedError || this.deps.classify(error) === 'passing') throw error;
      table.refusedAgain(parkedId, describeReactionFailure(error), this.deps.now());
      return table.get(parkedId)!;
    }
    table.resolve(parkedId, by, this.deps.now());
    return table.get(parkedId)!;
  }

  private async eventOf(parked: ParkedEvent): Promise<RecordedEvent> {
    const [event] = await this.deps.store.readAll({ after: parked.event.position - 1, maxCount: 1 });
    if (event === undefined || event.id !== parked.event.id || event.position !== parked.event.position) {
      throw new ParkedEventNotInLogError(parked);
    }
    return event;
  }
}
