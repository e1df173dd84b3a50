/**
 * A connection to the event log that another thread writes: the processors' thread reads the log through
 * it, and its live subscriptions are woken when that thread says it committed (`logGrew`), not by polling.
 * A slow look of their own (`safetyPollMs`) remains, for a wake-up lost while a subscription was being
 * opened again after a failure.
 */

import { CatchUpSubscriptions } from '@escrow/event-store/catch-up-subscription';
import type {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@escrow/event-store/port';

/** How often a live subscription looks at the log when nobody told it anything. */
export const DEFAULT_SAFETY_POLL_MS = 1000;

export class ToldLogReader implements EventStore {
  private readonly subscriptions: CatchUpSubscriptions;

  constructor(
    private readonly log: EventStore,
    safetyPollMs = DEFAULT_SAFETY_POLL_MS,
  ) {
    this.subscriptions = new CatchUpSubscriptions({
      readPage: (after, maxCount) => log.readAll({ after, maxCount }),
      pollIntervalMs: safetyPollMs,
    });
  }

  /** The writing thread committed: every live subscription reads again. */
  logGrew(): void {
    this.subscriptions.notifyAll();
  }

  append(): Promise<AppendResult> {
    return Promise.reject(new Error('The processors read the log; only the service appends to it'));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.log.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.log.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.subscriptions.open(options);
  }

  headPosition(): Promise<number> {
    return this.log.headPosition();
  }

  storeId(): Promise<string> {
    return this.log.storeId();
  }

  ping(): Promise<void> {
    return this.log.ping();
  }

  /** Stops the subscriptions; the connection underneath belongs to whoever opened it. */
  async close(): Promise<void> {
    await this.subscriptions.stopAll();
  }
}
