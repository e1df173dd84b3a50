/**
 * The one catch-up loop of the processors (the projections behind the subscription, and each reactor):
 * reads pages of the store's global log after a position its consumer names, hands each page to the
 * consumer, backs off with the shared policy when a read or the consumer fails, sleeps when there is
 * nothing to read until woken (by the subscription) or a deadline, and stops promptly on request.
 *
 * Only an idle sleep is cut short by a wake: a back-off is waited out (or cut by a stop), so a processor
 * that keeps failing is not retried at the pace the log grows.
 */

import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import { RetryPolicy, retryDelay, Sleeper } from './backoff';

/** Where the next page starts; a consumer may carry what it decided with it (e.g. which processors it feeds). */
export interface ReadPlan {
  after: number;
}

/** What the consumer wants next: a page after a position, or nothing for now (sleep up to `idleMs`; undefined: until woken). */
export type NextStep<Plan extends ReadPlan> = { read: Plan } | { idleMs: number | undefined };

export interface PageConsumer<Plan extends ReadPlan> {
  /** Asked before every read: where to read after, or that there is nothing to read now. */
  next(): NextStep<Plan>;
  /** A page of the log after `plan.after`, never empty. Throwing counts as a failure and backs off. */
  consume(page: readonly RecordedEvent[], plan: Plan): void | Promise<void>;
  /** A read or a `consume` failed, `failures` times in a row counting this one; the loop backs off next. */
  failed(error: unknown, failures: number): void;
}

export interface ProcessorLoopOptions {
  /** The loop only reads the log. */
  store: Pick<EventStore, 'readAll'>;
  /** Events read from the log at once. */
  pageSize: number;
  retry: RetryPolicy;
  /** How long to sleep, unless woken, when the log has nothing after the position asked for. */
  idleMs: number;
}

export class ProcessorLoop<Plan extends ReadPlan> {
  private readonly sleeper = new Sleeper();
  private state: 'new' | 'running' | 'stopped' = 'new';
  private woken = false;
  private sleepingIdle = false;
  private failuresInARow = 0;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly options: ProcessorLoopOptions,
    private readonly consumer: PageConsumer<Plan>,
  ) {}

  /** True once `stop` was asked. */
  get stopping(): boolean {
    return this.state === 'stopped';
  }

  /** Failures in a row so far; 0 after a round that read (and consumed) without failing, or after `progressed`. */
  get failures(): number {
    return this.failuresInARow;
  }

  /** Starts the loop on the next tick; a loop stopped once never starts again. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.finished = this.run();
  }

  /** The log may have grown or the consumer's position moved: an idle loop looks again at once. */
  wake(): void {
    this.woken = true;
    if (this.sleepingIdle) this.sleeper.interrupt();
  }

  /**
   * A consumer that committed part of a page before failing on the rest: the failures after this count
   * from one again, so the back-off measures how long the current position has been failing.
   */
  progressed(): void {
    this.failuresInARow = 0;
  }

  /** Cuts any sleep short; resolves once no read nor `consume` is in flight (one in flight is awaited, not cut). */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.sleeper.interrupt();
    await this.finished;
  }

  private async run(): Promise<void> {
    // The caller of start() finishes its turn (e.g. starting the subscription) before the first read.
    await Promise.resolve();
    while (this.state === 'running') {
      this.woken = false;
      try {
        const step = this.consumer.next();
        if ('idleMs' in step) {
          await this.sleepIdle(step.idleMs);
          continue;
        }
        const page = await this.options.store.readAll({ after: step.read.after, maxCount: this.options.pageSize });
        if (this.stopping) break;
        if (page.length > 0) await this.consumer.consume(page, step.read);
        this.failuresInARow = 0;
        if (page.length === 0) await this.sleepIdle(this.options.idleMs);
      } catch (error) {
        await this.backOff(error);
      }
    }
  }

  private async sleepIdle(ms: number | undefined): Promise<void> {
    // A wake that came while the consumer was deciding is not lost: the loop looks again without sleeping.
    if (this.woken || this.stopping) return;
    this.sleepingIdle = true;
    try {
      await this.sleeper.sleep(ms);
    } finally {
      this.sleepingIdle = false;
    }
  }

  private async backOff(error: unknown): Promise<void> {
    this.failuresInARow++;
    try {
      this.consumer.failed(error, this.failuresInARow);
    } catch {
      // A failing failure hook must not end the loop.
    }
    if (!this.stopping) await this.sleeper.sleep(retryDelay(this.options.retry, this.failuresInARow));
  }
}
