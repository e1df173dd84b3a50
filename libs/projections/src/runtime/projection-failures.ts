/**
 * Projections whose handler threw, each held back on its own with the shared back-off: while one waits,
 * the subscription keeps feeding the others and the reactors keep reading the log. Once its wait is over
 * the catch-up loop hands it the events after its checkpoint again; the first commit clears the failure.
 */

import { RetryPolicy, retryDelay } from './backoff';

/** What `/v1/projections` and `/health` say about a failing projection. */
export interface ProjectionFailure {
  name: string;
  /** Failed attempts in a row. */
  failures: number;
  lastError: string;
  /** When the first of those attempts failed. */
  failingSince: string;
}

interface FailureState extends ProjectionFailure {
  /** Epoch milliseconds before which the projection is not tried again. */
  retryAt: number;
}

/**
 * The message of what a handler threw. An error from another realm (a native module's, a test sandbox's)
 * fails `instanceof Error` but still has its message, which is what the status should show.
 */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

export class ProjectionFailures {
  private readonly failing = new Map<string, FailureState>();

  constructor(
    private readonly retry: RetryPolicy,
    /** Milliseconds on the monotonic clock: a back-off is elapsed time, which no clock setting moves. */
    readonly clock: () => number = () => performance.now(),
  ) {}

  /** Records a failed attempt; the projection waits the back-off of that many failures in a row. */
  failed(name: string, error: unknown, now: string): void {
    const previous = this.failing.get(name);
    const failures = (previous?.failures ?? 0) + 1;
    this.failing.set(name, {
      name,
      failures,
      lastError: messageOf(error),
      failingSince: previous?.failingSince ?? now,
      retryAt: this.clock() + retryDelay(this.retry, failures),
    });
  }

  /** A transaction of the projection committed. */
  recovered(name: string): void {
    this.failing.delete(name);
  }

  /** True while the projection waits out its back-off (at `at`, in milliseconds of `clock`; default now). */
  isWaiting(name: string, at: number = this.clock()): boolean {
    const state = this.failing.get(name);
    return state !== undefined && state.retryAt > at;
  }

  /**
   * Milliseconds from `at` (default now) until the next projection waiting out its back-off may be tried
   * again; undefined when none waits. Asked with the instant `isWaiting` was asked with, it counts every
   * projection that call found waiting, however much time has passed since.
   */
  untilNextRetry(at: number = this.clock()): number | undefined {
    const now = at;
    const waits = [...this.failing.values()].map((state) => state.retryAt - now).filter((wait) => wait > 0);
    return waits.length === 0 ? undefined : Math.min(...waits);
  }

  /** The failing projections, by name. */
  list(): ProjectionFailure[] {
    return [...this.failing.values()]
      .map(({ name, failures, lastError, failingSince }) => ({ name, failures, lastError, failingSince }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Since when the longest-failing projection has been failing; undefined when none fails. */
  earliestFailingSince(): string | undefined {
    let earliest: string | undefined;
    for (const { failingSince } of this.failing.values()) if (earliest === undefined || failingSince < earliest) earliest = failingSince;
    return earliest;
  }
}
