/**
 * How far each projection has got, as the engine last committed it: answers `waitFor`, `status` and
 * `positionOf` without a query, and settles the waiters as batches commit. Before the engine is
 * initialised the checkpoint table is the only truth, so status and positions are read from it then.
 */

import type { Projection, ProjectionStatus } from '../projection';
import type { CheckpointTable } from './checkpoints';

/** How long `waitFor` waits when the caller names no timeout. */
export const DEFAULT_WAIT_TIMEOUT_MS = 5000;

export interface WaitOptions {
  /** Default 5000; Infinity waits until reached or stopped. */
  timeoutMs?: number;
  /** Default: every projection. */
  projections?: readonly string[];
}

interface Waiter {
  position: number;
  names: readonly string[];
  settle(reached: boolean): void;
}

export class ProjectionProgress {
  /** Mirror of the committed checkpoints, for waitFor and status without a query. */
  private readonly positions = new Map<string, number>();
  private readonly updatedAts = new Map<string, string | null>();
  private readonly waiters = new Set<Waiter>();
  private eventCount = 0;
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly checkpoints: CheckpointTable,
    private readonly initialised: () => boolean,
    private readonly onCommitted?: (advanced: readonly string[], last: number, at: string) => void,
  ) {
    this.known = new Set(projections.map((projection) => projection.name));
  }

  /** Events read from the log for the projections, for the rebuild report. */
  get eventsRead(): number {
    return this.eventCount;
  }

  /** Takes the checkpoints as stored, which another process may have moved. */
  load(): void {
    const stored = new Map(this.checkpoints.all().map((row) => [row.name, row]));
    for (const projection of this.projections) {
      const row = stored.get(projection.name);
      this.positions.set(projection.name, row?.position ?? 0);
      this.updatedAts.set(projection.name, row?.updatedAt ?? null);
    }
  }

  /** Takes one projection's checkpoint as stored (another process moved it). */
  reload(name: string): void {
    const stored = this.checkpoints.get(name);
    this.positions.set(name, stored?.position ?? 0);
    this.updatedAts.set(name, stored?.updatedAt ?? null);
  }

  /** `events` more were read from the log for the projections. */
  countRead(events: number): void {
    this.eventCount += events;
  }

  /** The mirrored checkpoint of a projection; 0 before `load`. */
  of(name: string): number {
    return this.positions.get(name) ?? 0;
  }

  lowest(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const projection of this.projections) lowest = Math.min(lowest, this.of(projection.name));
    return Number.isFinite(lowest) ? lowest : 0;
  }

  /** A transaction committed: `advanced` are the projections whose checkpoint moved to `last`. */
  committed(advanced: readonly string[], last: number, now: string): void {
    for (const name of advanced) {
      this.positions.set(name, last);
      this.updatedAts.set(name, now);
    }
    this.settleWaiters();
    if (advanced.length > 0) this.onCommitted?.(advanced, last, now);
  }

  /**
   * Another thread committed: the checkpoints it reports move forward only, since a report may trail
   * the table this mirror was loaded from.
   */
  committedElsewhere(advanced: readonly string[], last: number, at: string): void {
    this.committed(
      advanced.filter((name) => this.known.has(name) && this.of(name) < last),
      last,
      at,
    );
  }

  /** Loads the stored checkpoints again (the thread that writes them has started) and releases who they satisfy. */
  reloadAll(): void {
    this.load();
    this.settleWaiters();
  }

  /** The projection's tables were emptied and its checkpoint put back to 0 at `now`. */
  reset(name: string, now: string): void {
    this.positions.set(name, 0);
    this.updatedAts.set(name, now);
  }

  /** `ProjectionEngine.waitFor`; a stopped engine commits nothing more, so waiting for it would be in vain. */
  waitFor(position: number, options: WaitOptions, stopped: boolean): Promise<boolean> {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`position must be an integer >= 0, got ${position}`);
    const names = this.resolveNames(options.projections);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    if (!(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be >= 0, got ${timeoutMs}`);
    if (this.hasReached(position, names)) return Promise.resolve(true);
    if (stopped || timeoutMs === 0) return Promise.resolve(false);
    return this.waitUntilReached(position, names, timeoutMs);
  }

  /** The engine stopped: every waiter is told false. */
  abandonWaiters(): void {
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  status(headPosition: number): ProjectionStatus[] {
    const stored = this.initialised() ? undefined : new Map(this.checkpoints.all().map((row) => [row.name, row]));
    return this.projections.map((projection) => {
      const position = stored ? (stored.get(projection.name)?.position ?? 0) : this.of(projection.name);
      const updatedAt = stored ? (stored.get(projection.name)?.updatedAt ?? null) : (this.updatedAts.get(projection.name) ?? null);
      return {
        name: projection.name,
        version: projection.version,
        position,
        headPosition,
        lag: Math.max(0, headPosition - position),
        updatedAt,
      };
    });
  }

  positionOf(name: string): number {
    this.resolveNames([name]);
    if (!this.initialised()) return this.checkpoints.get(name)?.position ?? 0;
    return this.of(name);
  }

  /** The named projections without repeats, every one when none are named; refuses an unknown name. */
  resolveNames(names: readonly string[] | undefined): string[] {
    if (names === undefined) return this.names();
    for (const name of names) {
      if (!this.known.has(name)) {
        throw new RangeError(`Unknown projection ${name}; known: ${this.names().join(', ') || 'none'}`);
      }
    }
    return [...new Set(names)];
  }

  private names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  private hasReached(position: number, names: readonly string[]): boolean {
    if (!this.initialised()) return false;
    for (const name of names) if (this.of(name) < position) return false;
    return true;
  }

  private waitUntilReached(position: number, names: readonly string[], timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        position,
        names,
        settle: (reached) => {
          if (timer !== undefined) clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.hasReached(waiter.position, waiter.names)) waiter.settle(true);
    }
  }
}
