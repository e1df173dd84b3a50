import type Database from 'better-sqlite3';
import type { EventStore } from '@escrow/event-store/port';
import type { Projection, ProjectionReader, ProjectionStatus } from '../projection';
import { CheckpointTable } from './checkpoints';
import { DEFAULT_WAIT_TIMEOUT_MS, WaitOptions } from './projection-progress';

export const DEFAULT_CHECKPOINT_POLL_INTERVAL_MS = 50;

/**
 * Reads read models that another process keeps up to date (the service started with projections off):
 * waiting for a position polls the checkpoint table instead of being told by an engine.
 */
export class PassiveProjectionReader implements ProjectionReader {
  private readonly checkpoints: CheckpointTable;
  private readonly names: readonly string[];

  constructor(
    readonly db: Database.Database,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly pollIntervalMs = DEFAULT_CHECKPOINT_POLL_INTERVAL_MS,
  ) {
    this.checkpoints = new CheckpointTable(db);
    this.names = projections.map((projection) => projection.name);
    // Empty tables for projections never run here, so that queries answer (with nothing) instead of failing.
    const known = new Set(this.checkpoints.all().map((row) => row.name));
    db.transaction(() => {
      for (const projection of projections) if (!known.has(projection.name)) projection.setup(db);
    }).immediate();
  }

  async waitFor(position: number, options: WaitOptions = {}): Promise<boolean> {
    const names = options.projections ?? this.names;
    for (const name of names) if (!this.names.includes(name)) throw new RangeError(`Unknown projection ${name}`);
    // A timeout is elapsed time: the monotonic clock, which no clock setting moves.
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS);
    for (;;) {
      if (this.reached(position, names)) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, remaining)));
    }
  }

  positionOf(name: string): number {
    if (!this.names.includes(name)) throw new RangeError(`Unknown projection ${name}`);
    return this.checkpoints.get(name)?.position ?? 0;
  }

  async status(): Promise<ProjectionStatus[]> {
    const headPosition = await this.store.headPosition();
    const stored = new Map(this.checkpoints.all().map((row) => [row.name, row]));
    return this.projections.map((projection) => {
      const row = stored.get(projection.name);
      const position = row?.position ?? 0;
      return {
        name: projection.name,
        version: row?.version ?? projection.version,
        position,
        headPosition,
        lag: Math.max(0, headPosition - position),
        updatedAt: row?.updatedAt ?? null,
      };
    });
  }

  private reached(position: number, names: readonly string[]): boolean {
    const stored = new Map(this.checkpoints.all().map((row) => [row.name, row.position]));
    return names.every((name) => (stored.get(name) ?? 0) >= position);
  }
}
