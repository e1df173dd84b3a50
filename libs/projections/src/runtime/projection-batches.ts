/**
 * A batch: events applied to every projection inside ONE transaction of the read-model database, which
 * also moves the checkpoints it covers, so that rows and checkpoints commit or roll back together.
 *
 * Each projection is handed only the events after its own checkpoint, read from the table inside the
 * transaction: projections at different positions share the batch, and a checkpoint moved by another
 * process is honoured rather than overwritten. A handler is prepared again after a batch rolled back and
 * when another process moved its checkpoint, so that what it keeps in memory only mirrors committed rows.
 */

import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection, ProjectionBatch } from '../projection';
import type { CheckpointTable } from './checkpoints';
import { identityUpcaster, Upcaster } from './upcaster';

/** A checkpoint went backwards under the engine (another process rebuilt it): resubscribe from the table. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`The checkpoint of ${projection} moved from ${expected} back to ${actual} outside this engine`);
    this.name = 'CheckpointMovedError';
  }
}

/** A projection's part in the batch being applied. */
export interface OpenBatch {
  name: string;
  handler: ProjectionBatch;
  /** Its checkpoint when the batch began: it is handed only the events after it. */
  after: number;
}

export interface ProjectionBatchesOptions {
  db: Database.Database;
  projections: readonly Projection[];
  checkpoints: CheckpointTable;
  upcast: Upcaster;
  /** The checkpoint of a projection as this engine last committed it. */
  committedPositionOf(name: string): number;
  /** A batch committed: `advanced` are the projections whose checkpoint moved to `last`. */
  committed(advanced: readonly string[], last: number, events: number, now: string): void;
  now(): string;
}

/** Index of the first event strictly after `position` (events are in global order). */
function firstIndexAfter(events: readonly RecordedEvent[], position: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].position <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class ProjectionBatches {
  private readonly handlers = new Map<string, ProjectionBatch>();
  private readonly applyInTransaction: Database.Transaction<(events: readonly RecordedEvent[], last: number, now: string) => string[]>;

  constructor(private readonly options: ProjectionBatchesOptions) {
    this.applyInTransaction = options.db.transaction((events: readonly RecordedEvent[], last: number, now: string) =>
      this.applyToEachProjection(events, last, now),
    );
  }

  prepareHandlers(): void {
    for (const projection of this.options.projections) this.prepareHandler(projection);
  }

  prepareHandler(projection: Projection): ProjectionBatch {
    const { db } = this.options;
    const handler = projection.prepareBatch?.(db) ?? { apply: projection.prepare(db), flush: () => {} };
    this.handlers.set(projection.name, handler);
    return handler;
  }

  upcasted(events: readonly RecordedEvent[]): readonly RecordedEvent[] {
    const { upcast } = this.options;
    return upcast === identityUpcaster ? events : events.map(upcast);
  }

  /** Applies `events` (one delivery of the subscription) in one `BEGIN IMMEDIATE` transaction. */
  apply(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const upcasted = this.upcasted(events);
    const now = this.options.now();
    let advanced: string[];
    try {
      advanced = this.applyInTransaction.immediate(upcasted, last, now);
    } catch (error) {
      // The rows went back to the last commit: whatever a handler kept in memory about them goes too.
      this.prepareHandlers();
      throw error;
    }
    this.options.committed(advanced, last, events.length, now);
  }

  /**
   * Inside the batch transaction, before its first event: each projection's handler and the checkpoint it
   * starts after, read from the table so that a checkpoint moved by another process is honoured.
   */
  open(): OpenBatch[] {
    const { projections, checkpoints } = this.options;
    return projections.map((projection) => {
      const stored = checkpoints.get(projection.name);
      if (stored === undefined || stored.version !== projection.version) {
        throw new Error(`The checkpoint of ${projection.name} was removed or changed version outside this engine`);
      }
      const known = this.options.committedPositionOf(projection.name);
      if (stored.position < known) throw new CheckpointMovedError(projection.name, known, stored.position);
      // Another process wrote these tables since: start from them, not from what this handler remembers.
      const handler = stored.position !== known ? this.prepareHandler(projection) : this.handlers.get(projection.name)!;
      return { name: projection.name, handler, after: stored.position };
    });
  }

  /** Hands each projection the events of the page after its checkpoint. */
  applyPage(batch: readonly OpenBatch[], events: readonly RecordedEvent[]): void {
    for (const { handler, after } of batch) {
      for (let index = firstIndexAfter(events, after); index < events.length; index++) handler.apply(events[index]);
    }
  }

  /** Flushes every handler that had events and moves its checkpoint to `last`; returns their names. */
  close(batch: readonly OpenBatch[], last: number, now: string): string[] {
    const advanced: string[] = [];
    for (const { name, handler, after } of batch) {
      if (after >= last) continue;
      handler.flush();
      this.options.checkpoints.advance(name, last, now);
      advanced.push(name);
    }
    return advanced;
  }

  /** Runs inside the batch transaction. */
  private applyToEachProjection(events: readonly RecordedEvent[], last: number, now: string): string[] {
    const batch = this.open();
    this.applyPage(batch, events);
    return this.close(batch, last, now);
  }
}
