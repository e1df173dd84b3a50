/**
 * Batches: events applied to a projection inside a transaction of the read-model database that also moves
 * its checkpoint, so that its rows and its checkpoint commit or roll back together.
 *
 * - While the service runs, each projection has a transaction of its own per batch (`applyToOne`): a
 *   handler that throws rolls back only its own rows and checkpoint, never another projection's.
 * - The offline catch-up (`open`, `applyPage`, `close`) applies many pages to every projection in one
 *   transaction: the tool stops at the first failure and leaves nothing half applied.
 *
 * Each projection is handed only the events after its own checkpoint, read from the table inside the
 * transaction: projections at different positions share the batch, and a checkpoint moved by another
 * process is honoured rather than overwritten. A handler is prepared again after its transaction rolled
 * back and when another process moved its checkpoint, so that what it keeps in memory only mirrors
 * committed rows.
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

/**
 * What one projection's transaction did with a batch: `advanced` its checkpoint to the batch's last event;
 * found nothing after its checkpoint (`unchanged`); or found its checkpoint before the batch's start, so
 * that the events in between are missing from the batch (`behind`: the catch-up loop serves it).
 */
export type ProjectionBatchOutcome = 'advanced' | 'unchanged' | 'behind';

type ApplyToOne = (projection: Projection, events: readonly RecordedEvent[], after: number, now: string) => ProjectionBatchOutcome;

export class ProjectionBatches {
  private readonly handlers = new Map<string, ProjectionBatch>();
  private readonly applyToOneInTransaction: Database.Transaction<ApplyToOne>;

  constructor(private readonly options: ProjectionBatchesOptions) {
    this.applyToOneInTransaction = options.db.transaction<ApplyToOne>((projection, events, after, now) =>
      this.applyInsideTransaction(projection, events, after, now),
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

  /**
   * Applies to one projection, in its own `BEGIN IMMEDIATE` transaction, the (upcasted) events after its
   * checkpoint; `after` is the position just before the first event of `events`. On a failure the rows and
   * the checkpoint roll back, the handler is prepared again, and the error is thrown.
   */
  applyToOne(projection: Projection, events: readonly RecordedEvent[], after: number, now: string): ProjectionBatchOutcome {
    if (events.length === 0) return 'unchanged';
    try {
      return this.applyToOneInTransaction.immediate(projection, events, after, now);
    } catch (error) {
      // The rows went back to the last commit: whatever the handler kept in memory about them goes too.
      this.prepareHandler(projection);
      throw error;
    }
  }

  /**
   * Inside the batch transaction, before its first event: each projection's handler and the checkpoint it
   * starts after, read from the table so that a checkpoint moved by another process is honoured.
   */
  open(): OpenBatch[] {
    return this.options.projections.map((projection) => this.openOne(projection));
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

  private openOne(projection: Projection): OpenBatch {
    const stored = this.options.checkpoints.get(projection.name);
    if (stored === undefined || stored.version !== projection.version) {
      throw new Error(`The checkpoint of ${projection.name} was removed or changed version outside this engine`);
    }
    const known = this.options.committedPositionOf(projection.name);
    if (stored.position < known) throw new CheckpointMovedError(projection.name, known, stored.position);
    // Another process wrote these tables since: start from them, not from what this handler remembers.
    const handler = stored.position !== known ? this.prepareHandler(projection) : this.handlers.get(projection.name)!;
    return { name: projection.name, handler, after: stored.position };
  }

  /** Runs inside the projection's own transaction. */
  private applyInsideTransaction(projection: Projection, events: readonly RecordedEvent[], after: number, now: string): ProjectionBatchOutcome {
    const opened = this.openOne(projection);
    if (opened.after < after) return 'behind';
    const last = events[events.length - 1].position;
    if (opened.after >= last) return 'unchanged';
    this.applyPage([opened], events);
    this.close([opened], last, now);
    return 'advanced';
  }
}
