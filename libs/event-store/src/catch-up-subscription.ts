/**
 * The delivery loop behind `subscribeToAll` for stores that can read their global log by position
 * (in-memory and SQLite). It reads a page after its checkpoint, awaits the handler, advances the
 * checkpoint to the last delivered position and repeats; when a read comes back empty it is live and
 * sleeps until `notify()` (an append in this process) or the poll interval (appends by other
 * processes sharing the storage). Because the checkpoint only moves past delivered events and the
 * stores never expose a gap that is later filled, no event is skipped or delivered twice.
 */

import { RecordedEvent, SubscribeToAllOptions, Subscription } from './port';
import { resolveSubscriptionStart } from './read-options';
import { reportSubscriptionFailure } from './subscription-failure';

export interface CatchUpSubscriptionOptions extends SubscribeToAllOptions {
  /** Events strictly after `after`, in global order, at most `maxCount`. */
  readPage(after: number, maxCount: number): Promise<RecordedEvent[]>;
  /** Wake up this often while live even without notify(); undefined: only notify() wakes it. */
  pollIntervalMs?: number;
  /** Called once when the loop has ended, whatever the reason. */
  onFinished?(subscription: CatchUpSubscription): void;
}

export class CatchUpSubscription implements Subscription {
  private readonly maxBatchSize: number;
  private stopRequested = false;
  /** Set by notify(); cleared before each read so a wake-up during a read or a handler is not lost. */
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private checkpoint: number;

  constructor(private readonly options: CatchUpSubscriptionOptions) {
    const { after, maxBatchSize } = resolveSubscriptionStart(options);
    this.checkpoint = after;
    this.maxBatchSize = maxBatchSize;
    this.finished = this.run();
  }

  /** Position of the last event handed to the handler successfully (the `after` given at first). */
  get position(): number {
    return this.checkpoint;
  }

  /** New events may be available: wake the loop if it is sleeping. */
  notify(): void {
    this.wakeRequested = true;
    const sleeper = this.wakeSleeper;
    this.wakeSleeper = undefined;
    sleeper?.();
  }

  /**
   * Resolves once no handler call is in flight and none will start. Awaiting it from inside the
   * handler would wait for itself: call it without awaiting there.
   */
  stop(): Promise<void> {
    this.stopRequested = true;
    this.notify();
    return this.finished;
  }

  private async run(): Promise<void> {
    // Start on a later tick so that subscribing never runs the handler inside the caller's call stack.
    await Promise.resolve();
    try {
      while (!this.stopRequested) {
        this.wakeRequested = false;
        const events = await this.options.readPage(this.checkpoint, this.maxBatchSize);
        if (this.stopRequested) break;
        if (events.length === 0) {
          if (!this.wakeRequested) await this.sleep();
          continue;
        }
        await this.options.handler(events);
        this.checkpoint = events[events.length - 1].position;
      }
    } catch (error) {
      this.stopRequested = true;
      reportSubscriptionFailure(this.options.onError, error);
    } finally {
      this.options.onFinished?.(this);
    }
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.wakeSleeper = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      const pollIntervalMs = this.options.pollIntervalMs;
      if (pollIntervalMs !== undefined) {
        timer = setTimeout(() => this.notify(), pollIntervalMs);
      }
    });
  }
}

/** Where a store's catch-up subscriptions read: its log by position, and how often a live one looks again. */
export interface CatchUpSource {
  readPage(after: number, maxCount: number): Promise<RecordedEvent[]>;
  /** undefined: only an append in this process wakes a live subscription. */
  pollIntervalMs?: number;
}

/** The live subscriptions of one store: opened over its log, woken together after a commit, stopped together at close. */
export class CatchUpSubscriptions {
  private readonly live = new Set<CatchUpSubscription>();

  constructor(private readonly source: CatchUpSource) {}

  open(options: SubscribeToAllOptions): Subscription {
    const { pollIntervalMs } = this.source;
    const subscription = new CatchUpSubscription({
      ...options,
      readPage: (after, maxCount) => this.source.readPage(after, maxCount),
      ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
      onFinished: (finished) => this.live.delete(finished),
    });
    this.live.add(subscription);
    return subscription;
  }

  /** New events were committed: wake every subscription that sleeps. */
  notifyAll(): void {
    for (const subscription of this.live) subscription.notify();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((subscription) => subscription.stop()));
  }
}
