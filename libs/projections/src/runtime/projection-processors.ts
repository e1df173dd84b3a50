/**
 * The projections of a running engine as processors of the log, each with its own checkpoint and its own
 * transaction per batch, so that a failure stays with the projection that threw:
 *
 * - the subscription's batches (`delivered`) go to every projection in step with it, i.e. whose checkpoint
 *   is at or after the position the batch starts after; each applies them in a transaction of its own;
 * - a projection behind the subscription (after a failure, a rebuild, or a checkpoint moved back by another
 *   process) is fed by ONE catch-up loop (`processor-loop.ts`, the loop every reactor runs too) that reads
 *   the log after the lowest such checkpoint, in pages, and hands every page to each of them, again one
 *   transaction per projection; once it reaches what the subscription delivered it is in step again;
 * - a projection whose transaction fails is rolled back alone and waits out the shared back-off
 *   (`projection-failures.ts`) before the catch-up loop tries it again; the others never wait for it.
 */

import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';
import type { RetryPolicy } from './backoff';
import { CheckpointMovedError, ProjectionBatches } from './projection-batches';
import type { ProjectionFailures } from './projection-failures';
import type { ProjectionProgress } from './projection-progress';
import { ProcessorLoop, type NextStep } from './processor-loop';

/** The projections a page of the catch-up loop is for, and the lowest of their checkpoints. */
interface BehindProjections {
  names: ReadonlySet<string>;
  after: number;
}

export interface ProjectionProcessorsOptions {
  store: EventStore;
  projections: readonly Projection[];
  batches: ProjectionBatches;
  progress: ProjectionProgress;
  failures: ProjectionFailures;
  /** Events the catch-up loop reads from the log at once, hence applies per transaction. */
  pageSize: number;
  retry: RetryPolicy;
  now(): string;
  /** A projection's transaction failed (`projection` named), or the catch-up loop could not read the log. */
  onFailure(error: unknown, projection: string | undefined): void;
}

export class ProjectionProcessors {
  private readonly catchUp: ProcessorLoop<BehindProjections>;
  /** The last position the subscription delivered (where it starts, before its first batch). */
  private deliveredUpTo = 0;

  constructor(private readonly options: ProjectionProcessorsOptions) {
    const { store, pageSize, retry } = options;
    // The log ends before what the subscription delivered only while a store is being replaced: look again later.
    this.catchUp = new ProcessorLoop(
      { store, pageSize, retry, idleMs: retry.maxDelayMs },
      {
        next: () => this.behind(),
        consume: (page, behind) => {
          this.options.progress.countRead(page.length);
          this.applyToEach(page, behind.after, behind.names);
        },
        failed: (error) => this.options.onFailure(error, undefined),
      },
    );
  }

  /** The position the subscription starts or resumes after. */
  get subscriptionPosition(): number {
    return this.deliveredUpTo;
  }

  /** Starts the catch-up loop; the subscription will start after `from`. */
  start(from: number): void {
    this.deliveredUpTo = from;
    this.catchUp.start();
  }

  /** Resolves once the catch-up loop has no page in flight. */
  stop(): Promise<void> {
    return this.catchUp.stop();
  }

  /** Something changed (a projection was reset, the subscription moved): the catch-up loop looks again. */
  wake(): void {
    this.catchUp.wake();
  }

  /** A batch of the subscription: applied to every projection in step with it. */
  delivered(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const after = this.deliveredUpTo;
    this.deliveredUpTo = events[events.length - 1].position;
    this.options.progress.countRead(events.length);
    this.applyToEach(events, after, undefined);
    this.wake();
  }

  /** Applies `events` to each named projection (default: all) not waiting out a back-off, one transaction each. */
  private applyToEach(events: readonly RecordedEvent[], after: number, names: ReadonlySet<string> | undefined): void {
    const { batches, progress, failures } = this.options;
    const last = events[events.length - 1].position;
    const now = this.options.now();
    let upcasted: readonly RecordedEvent[] | undefined;
    for (const projection of this.options.projections) {
      const { name } = projection;
      if ((names !== undefined && !names.has(name)) || failures.isWaiting(name)) continue;
      try {
        upcasted ??= batches.upcasted(events);
        const outcome = batches.applyToOne(projection, upcasted, after, now);
        if (outcome === 'behind') continue;
        if (outcome === 'advanced') progress.committed([name], last, now);
        failures.recovered(name);
      } catch (error) {
        // Another process rebuilt it: go on from the checkpoint it left, through the catch-up loop.
        if (error instanceof CheckpointMovedError) progress.reload(name);
        failures.failed(name, error, now);
        this.options.onFailure(error, name);
      }
    }
  }

  /**
   * The projections behind the subscription that may be tried now and the lowest of their checkpoints;
   * when there are none, how long until a projection's back-off ends (undefined: none waits).
   */
  private behind(): NextStep<BehindProjections> {
    const { progress, failures } = this.options;
    // One instant for both questions: a back-off that ends between them is still waited for, not forgotten.
    const at = failures.clock();
    const names = this.options.projections
      .map((projection) => projection.name)
      .filter((name) => progress.of(name) < this.deliveredUpTo && !failures.isWaiting(name, at));
    if (names.length === 0) return { idleMs: failures.untilNextRetry(at) };
    return { read: { names: new Set(names), after: Math.min(...names.map((name) => progress.of(name))) } };
  }
}
