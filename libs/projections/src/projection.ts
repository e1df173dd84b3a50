import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@escrow/event-store/port';

/**
 * A read model built from the global event log. It owns its tables in the read-model database; the runtime
 * owns its checkpoint and applies each batch of events and the new checkpoint in ONE transaction, so a crash
 * never loses or doubles an event. Handlers must be deterministic (no clock, no randomness, no I/O besides
 * their own tables), so that a rebuild from position zero produces identical rows.
 */
export interface Projection {
  /** Stable name; also the key of the checkpoint. */
  readonly name: string;
  /** Bumped whenever the tables or the handling change: a stored checkpoint of another version triggers a rebuild. */
  readonly version: number;
  /** Every table (and index-free view) the projection owns; dropped on rebuild. */
  readonly tables: readonly string[];
  /** Creates the tables if they do not exist. */
  setup(db: Database.Database): void;
  /**
   * Prepares statements once and returns the handler for single events. The runtime calls it inside the batch
   * transaction, in global order, only for events after the projection's checkpoint. Events it does not care
   * about are ignored. A projection with `prepareBatch` answers it with `eachEventFlushed` (see
   * `batchingProjection`), so that both give the same rows.
   */
  prepare(db: Database.Database): (event: RecordedEvent) => void;
  /**
   * Optional; when present the runtime uses it instead of `prepare`. Prepares statements once and returns a
   * handler that may hold back writes during a batch (e.g. add up several events' changes to one row) as
   * long as `flush`, called once at the end of every batch inside its transaction, writes them all. The rows
   * after a flush must be those that applying the same events one by one gives, whatever the batch's size.
   * When a batch fails the runtime throws the handler away and prepares a new one, so nothing it held back
   * outlives the rollback.
   */
  prepareBatch?(db: Database.Database): ProjectionBatch;
}

/** Applies the events of one batch; see `Projection.prepareBatch`. */
export interface ProjectionBatch {
  /** Called in global order for every event of the batch after the projection's checkpoint. */
  apply(event: RecordedEvent): void;
  /** Writes whatever `apply` held back; called once per batch, after its last event, before the checkpoint moves. */
  flush(): void;
}

/** The single-event handler of a batching projection: every event is a batch of its own. */
export function eachEventFlushed(batch: ProjectionBatch): (event: RecordedEvent) => void {
  return (event) => {
    batch.apply(event);
    batch.flush();
  };
}

/** A projection defined by its batch handler; its `prepare` applies one event at a time through it. */
export function batchingProjection(
  definition: Omit<Projection, 'prepare' | 'prepareBatch'> & { prepareBatch(db: Database.Database): ProjectionBatch },
): Projection {
  return { ...definition, prepare: (db) => eachEventFlushed(definition.prepareBatch(db)) };
}

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Global position of the last event applied. */
  position: number;
  /** Store head position when the status was taken. */
  headPosition: number;
  /** Events behind the head. */
  lag: number;
  updatedAt: string | null;
}

/** What query handlers need from the runtime: read-your-writes waits and the read-model database. */
export interface ProjectionReader {
  readonly db: Database.Database;
  /**
   * Resolves true once every projection (or the named ones) has applied the given global position, false if
   * that did not happen within timeoutMs.
   */
  waitFor(position: number, options?: { timeoutMs?: number; projections?: readonly string[] }): Promise<boolean>;
  status(): Promise<ProjectionStatus[]>;
}

export const PROJECTION_READER = Symbol('PROJECTION_READER');
