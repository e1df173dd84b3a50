/**
 * The ONE subscription of a running engine to the store's global log: it hands each batch to the
 * projections in step with it and wakes the reactors. A failed subscription (the store went away) is
 * opened again after a back-off, after the last position it delivered.
 */

import type { EventStore, RecordedEvent, Subscription } from '@escrow/event-store/port';
import { RetryPolicy, retryDelay } from './backoff';

/** Events per batch of the subscription, hence per read-model transaction while the service runs. */
export const DEFAULT_PROJECTION_BATCH_SIZE = 2000;

export interface ProjectionSubscriptionOptions {
  store: EventStore;
  batchSize: number;
  retry: RetryPolicy;
  /** The position to subscribe after. */
  start(): number;
  applyBatch(events: readonly RecordedEvent[]): void;
  /** Whether a failed subscription should be opened again. */
  isRunning(): boolean;
  /** Called first on a failure, so that the failure is kept even if what follows throws. */
  recordFailure(error: unknown): void;
  /** Called once `failingSince` tells since when. */
  reportFailure(error: unknown): void;
  now(): string;
}

export class ProjectionSubscription {
  private subscription: Subscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private failingSinceAt: string | undefined;

  constructor(private readonly options: ProjectionSubscriptionOptions) {}

  /** Since when the subscription has been failing; undefined once a batch arrives again. */
  get failingSince(): string | undefined {
    return this.failingSinceAt;
  }

  open(): void {
    let subscription: Subscription | undefined;
    try {
      subscription = this.options.store.subscribeToAll({
        after: this.options.start(),
        maxBatchSize: this.options.batchSize,
        handler: async (events) => {
          this.options.applyBatch(events);
          this.failures = 0;
          this.failingSinceAt = undefined;
        },
        onError: (error) => this.failed(error, subscription),
      });
      this.subscription = subscription;
    } catch (error) {
      this.failed(error, undefined);
    }
  }

  /** Cancels a pending reopening; resolves once no batch is in flight. */
  async close(): Promise<void> {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription !== undefined) await subscription.stop();
  }

  private failed(error: unknown, failed: Subscription | undefined): void {
    this.options.recordFailure(error);
    this.failingSinceAt ??= this.options.now();
    this.options.reportFailure(error);
    if (failed !== undefined && this.subscription !== failed) return;
    this.subscription = undefined;
    if (!this.options.isRunning() || this.retryTimer !== undefined) return;
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.options.isRunning() || this.subscription !== undefined) return;
      this.open();
    }, retryDelay(this.options.retry, this.failures));
  }
}
