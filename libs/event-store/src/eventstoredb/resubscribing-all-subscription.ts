/**
 * `subscribeToAll` for EventStoreDB: a catch-up subscription to `$all` (system events filtered out
 * on the server and again here) that survives dropped connections.
 *
 * Delivery: events are handed to the handler in batches of what the client has already buffered
 * (at most `maxBatchSize`), and the next batch is not pulled before the handler's promise settles,
 * so a slow handler holds the gRPC stream back instead of piling events up in memory.
 *
 * Drops: when the stream fails with a transient error (node down, leader change, reset connection)
 * or ends, the subscription waits (exponential back-off, capped, jittered) and subscribes again
 * from the last position the handler accepted. The new subscription may replay events up to that
 * position (a read from a position is inclusive); those are skipped. So no event is lost (the
 * position only moves past events the handler accepted) and none is delivered twice.
 *
 * A handler rejection, or an error that retrying cannot cure (access denied, an event that cannot
 * be represented), stops the subscription and goes to `onError`.
 */

import { excludeSystemEvents, START, type AllStreamResolvedEvent } from '@eventstore/db-client';
import type { RecordedEvent, SubscribeToAllOptions, Subscription } from '../port';
import { resolveSubscriptionStart } from '../read-options';
import { reportSubscriptionFailure } from '../subscription-failure';
import { backoffDelayMs, type BackoffPolicy } from '../backoff';
import type { EsdbAllSubscription, EsdbClient } from './esdb-client';
import { isTransientEsdbError } from './esdb-errors';
import { isSystemEventType, toRecordedEvent } from './event-mapping';
import { toEsdbPosition } from './positions';

/** Resolves after `ms`, or as soon as `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export interface SubscriptionDrop {
  /** What ended the previous subscription; undefined when the server closed it cleanly. */
  error: unknown;
  /** 1 for the first retry after events last flowed. */
  attempt: number;
  delayMs: number;
  /** Position the next subscription resumes after. */
  resumeAfter: number;
}

export interface ResubscribingAllSubscriptionDeps {
  client: EsdbClient;
  backoff: BackoffPolicy;
  /** Source of jitter in [0, 1). */
  random: () => number;
  sleep: Sleep;
  /** Told about every drop before the wait, e.g. to log it. */
  onDropped?: (drop: SubscriptionDrop) => void;
  /** Called once when the delivery loop has ended, whatever the reason. */
  onFinished?: (subscription: ResubscribingAllSubscription) => void;
}

const STOPPED = Symbol('stopped');

/** Carries a handler's rejection past the drop handling, which must not retry it. */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

interface DropOutcome {
  /** undefined when the stream ended without an error. */
  error?: unknown;
  /** The subscription received events before it dropped: the connection worked. */
  received: boolean;
}

const ignore = (): void => undefined;

export class ResubscribingAllSubscription implements Subscription {
  private readonly maxBatchSize: number;
  private lastDelivered: number;
  private stopping = false;
  private readonly stopController = new AbortController();
  private readonly stopSignal: Promise<typeof STOPPED>;
  private current: EsdbAllSubscription | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly options: SubscribeToAllOptions,
    private readonly deps: ResubscribingAllSubscriptionDeps,
  ) {
    const { after, maxBatchSize } = resolveSubscriptionStart(options);
    this.lastDelivered = after;
    this.maxBatchSize = maxBatchSize;
    this.stopSignal = new Promise((resolve) => {
      this.stopController.signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
    });
    this.finished = this.run();
  }

  /** Position of the last event the handler accepted (the `after` given at first). */
  get position(): number {
    return this.lastDelivered;
  }

  /**
   * Resolves once no handler call is in flight and none will start. Awaiting it from inside the
   * handler would wait for itself: call it without awaiting there.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopController.abort();
      this.current?.unsubscribe().catch(ignore);
    }
    return this.finished;
  }

  private async run(): Promise<void> {
    // Start on a later tick so that subscribing never runs the handler inside the caller's call stack.
    await Promise.resolve();
    let attempt = 0;
    try {
      while (!this.stopping) {
        const outcome = await this.deliverUntilDropped();
        if (this.stopping) break;
        if (outcome.error !== undefined && !isTransientEsdbError(outcome.error)) throw outcome.error;
        if (outcome.received) attempt = 0;
        const delayMs = backoffDelayMs(attempt, this.deps.backoff, this.deps.random);
        attempt++;
        this.deps.onDropped?.({ error: outcome.error, attempt, delayMs, resumeAfter: this.lastDelivered });
        await Promise.race([this.deps.sleep(delayMs, this.stopController.signal), this.stopSignal]);
      }
    } catch (error) {
      this.stopping = true;
      reportSubscriptionFailure(this.options.onError, error instanceof HandlerFailure ? error.error : error);
    } finally {
      this.deps.onFinished?.(this);
    }
  }

  /** One subscription's life: from subscribing to its drop (returned) or a handler failure (thrown). */
  private async deliverUntilDropped(): Promise<DropOutcome> {
    let received = false;
    let subscription: EsdbAllSubscription;
    try {
      subscription = this.deps.client.subscribeToAll({
        fromPosition: this.lastDelivered > 0 ? toEsdbPosition(this.lastDelivered) : START,
        filter: excludeSystemEvents(),
        resolveLinkTos: false,
      });
    } catch (error) {
      return { error, received };
    }
    this.current = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      while (!this.stopping) {
        const pending = iterator.next();
        pending.catch(ignore);
        const first = await Promise.race([pending, this.stopSignal]);
        if (first === STOPPED || first.done) break;
        received = true;
        const raw: AllStreamResolvedEvent[] = [first.value];
        while (raw.length < this.maxBatchSize && subscription.readableLength > 0) {
          const next = await iterator.next();
          if (next.done) break;
          raw.push(next.value);
        }
        const batch = this.newEvents(raw);
        if (batch.length === 0 || this.stopping) continue;
        try {
          await this.options.handler(batch);
        } catch (error) {
          throw new HandlerFailure(error);
        }
        this.lastDelivered = batch[batch.length - 1].position;
      }
      return { received };
    } catch (error) {
      if (error instanceof HandlerFailure) throw error;
      return { error, received };
    } finally {
      this.current = undefined;
      await release(subscription, iterator);
    }
  }

  /** The user events of `raw` that come after everything delivered so far, in order. */
  private newEvents(raw: AllStreamResolvedEvent[]): RecordedEvent[] {
    const batch: RecordedEvent[] = [];
    let last = this.lastDelivered;
    for (const resolved of raw) {
      const event = resolved.event;
      if (event === undefined || isSystemEventType(event.type)) continue;
      const recorded = toRecordedEvent(event);
      if (recorded.position <= last) continue;
      batch.push(recorded);
      last = recorded.position;
    }
    return batch;
  }
}

async function release(subscription: EsdbAllSubscription, iterator: AsyncIterator<unknown>): Promise<void> {
  await subscription.unsubscribe().catch(ignore);
  // Cancelling the gRPC call does not always end the readable; destroying it settles a pending read.
  try {
    subscription.destroy?.();
  } catch {
    // Already torn down.
  }
  await iterator.return?.().catch(ignore);
}
