/**
 * Read models are bound to the log they were built from: every checkpoint records the id of the event
 * store and a position in that store's log. At start the binding is checked against the store at hand,
 * because a log that is not the one the read models were built from would otherwise be read as their
 * continuation: positions are reused, and the events written there are never applied nor credited.
 *
 * - A checkpoint naming another store id: the log is another store's, or was emptied and recreated.
 * - A checkpoint beyond the store's head: the log is older than the read models (a restored backup,
 *   a rolled-back disk).
 *
 * Both are refused with the cause and the remedy, `npm run projections:rebuild`, which rebuilds every
 * projection from this log and restarts the reactors from its start (see `rebindToStore`).
 */

import type Database from 'better-sqlite3';
import type { EventStore } from '@escrow/event-store/port';
import { Checkpoint, CHECKPOINT_TABLE, CheckpointTable, hasCheckpointTable } from './checkpoints';

export const REBUILD_REMEDY = 'npm run projections:rebuild';

/** What the check asks of the event store. */
export type StoreAtHand = Pick<EventStore, 'storeId' | 'headPosition'>;

export type StoreMismatch =
  | { kind: 'foreign-store'; recordedStoreIds: string[]; storeId: string; checkpoints: string[] }
  | { kind: 'ahead-of-log'; headPosition: number; position: number; checkpoints: string[] };

/** Starting on this log would corrupt the read models; the message names the cause and the remedy. */
export class ReadModelsDoNotMatchStoreError extends Error {
  constructor(
    readonly mismatch: StoreMismatch,
    readonly readModelFile: string,
  ) {
    super(describeMismatch(mismatch, readModelFile));
    this.name = 'ReadModelsDoNotMatchStoreError';
  }
}

function describeMismatch(mismatch: StoreMismatch, file: string): string {
  const remedy =
    `Remedy: stop the service and run \`${REBUILD_REMEDY}\` (same DATA_DIR and EVENT_STORE settings), which rebuilds ` +
    'every read model from the event store at hand and restarts the background processes from its first event; then start the service. ' +
    'If the event store is the wrong one, put the right one back instead (see docs/operations.md).';
  if (mismatch.kind === 'foreign-store') {
    return (
      `Refusing to start: the read models in ${file} were built from event store ${mismatch.recordedStoreIds.join(', ')}, ` +
      `but the event store at hand is ${mismatch.storeId} (another store's log, or an emptied or recreated one; ` +
      `checkpoints ${mismatch.checkpoints.join(', ')}). ${remedy}`
    );
  }
  return (
    `Refusing to start: the read models in ${file} have read the event log up to position ${mismatch.position} ` +
    `(checkpoints ${mismatch.checkpoints.join(', ')}), but the event store's last event is at position ${mismatch.headPosition}: ` +
    `the log is older than the read models (restored from an earlier copy, or rolled back). ${remedy}`
  );
}

/**
 * What is wrong between the read models in `db` and the store, or undefined when they match; and the
 * store's id. The checkpoints are read before the head: the head only grows, so a checkpoint that another
 * process moves meanwhile (a service still running beside a tool) is never mistaken for one beyond it.
 */
export async function findStoreMismatch(db: Database.Database, store: StoreAtHand): Promise<{ storeId: string; mismatch: StoreMismatch | undefined }> {
  const storeId = await store.storeId();
  const checkpoints = hasCheckpointTable(db) ? new CheckpointTable(db).all() : [];
  const headPosition = await store.headPosition();
  return { storeId, mismatch: mismatchOf(checkpoints, storeId, headPosition) };
}

function mismatchOf(checkpoints: readonly Checkpoint[], storeId: string, headPosition: number): StoreMismatch | undefined {
  const foreign = checkpoints.filter((checkpoint) => checkpoint.storeId !== null && checkpoint.storeId !== storeId);
  if (foreign.length > 0) {
    return {
      kind: 'foreign-store',
      recordedStoreIds: [...new Set(foreign.map((checkpoint) => checkpoint.storeId!))],
      storeId,
      checkpoints: foreign.map((checkpoint) => checkpoint.name),
    };
  }
  const ahead = checkpoints.filter((checkpoint) => checkpoint.position > headPosition);
  if (ahead.length > 0) {
    return {
      kind: 'ahead-of-log',
      headPosition,
      position: Math.max(...ahead.map((checkpoint) => checkpoint.position)),
      checkpoints: ahead.map((checkpoint) => checkpoint.name),
    };
  }
  return undefined;
}

/**
 * Refuses read models that do not match the store; otherwise binds the checkpoints that name no store
 * yet (written before checkpoints recorded one, and consistent with this log) to it. Resolves with the
 * store's id.
 */
export async function assertReadModelsMatchStore(db: Database.Database, store: StoreAtHand): Promise<string> {
  const { storeId, mismatch } = await findStoreMismatch(db, store);
  if (mismatch !== undefined) throw new ReadModelsDoNotMatchStoreError(mismatch, db.name);
  if (hasCheckpointTable(db)) {
    db.prepare(`UPDATE ${CHECKPOINT_TABLE} SET store_id = ? WHERE store_id IS NULL`).run(storeId);
  }
  return storeId;
}

/**
 * For the rebuild, when the read models do not match the store: forgets the checkpoints of projections
 * that no longer exist, and moves every reactor back to position 0 of this store. A reactor's effects
 * are events in the log, so after a log was rolled back some of them may be gone with it even for
 * source events that are still there; reactors act exactly once per source, so reading the log again
 * from its start makes exactly the effects that are missing. Returns the reactors moved back.
 */
export function rebindToStore(db: Database.Database, storeId: string, projectionNames: readonly string[], now: string): string[] {
  const table = new CheckpointTable(db, storeId);
  return db
    .transaction(() => {
      const known = new Set(projectionNames);
      const reactors: string[] = [];
      for (const checkpoint of table.all()) {
        if (checkpoint.kind === 'projection' && !known.has(checkpoint.name)) {
          db.prepare(`DELETE FROM ${CHECKPOINT_TABLE} WHERE name = ?`).run(checkpoint.name);
        } else if (checkpoint.kind === 'reactor') {
          table.reset(checkpoint.name, checkpoint.version, now);
          reactors.push(checkpoint.name);
        }
      }
      return reactors;
    })
    .immediate();
}
